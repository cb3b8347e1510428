// Splits a body into JSON values with their exact text: concatenated values (Splunk HEC
// batches: objects one after another, any whitespace or none between) and the elements of
// a top-level array (a Logs Ingestion API body). Each value is parsed on its own, so one bad
// value is reported by its position and the ones before it stand.

export interface JsonSpan {
  text: string;
  value: unknown;
}

export type SplitResult = { values: JsonSpan[]; error: null } | { values: JsonSpan[]; error: { index: number; message: string } };

const isSpace = (c: number) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;

/** End (exclusive) of the JSON value starting at `i`, found by brackets and strings only. */
function valueEnd(text: string, i: number): number {
  const first = text.charCodeAt(i);
  if (first === 0x7b || first === 0x5b) {
    let depth = 0;
    for (let j = i; j < text.length; j++) {
      const c = text.charCodeAt(j);
      if (c === 0x22) {
        for (j++; j < text.length && text.charCodeAt(j) !== 0x22; j++) if (text.charCodeAt(j) === 0x5c) j++;
      } else if (c === 0x7b || c === 0x5b) depth++;
      else if (c === 0x7d || c === 0x5d) {
        depth--;
        if (depth === 0) return j + 1;
      }
    }
    return text.length;
  }
  if (first === 0x22) {
    let j = i + 1;
    for (; j < text.length && text.charCodeAt(j) !== 0x22; j++) if (text.charCodeAt(j) === 0x5c) j++;
    return Math.min(j + 1, text.length);
  }
  let j = i;
  while (j < text.length && !isSpace(text.charCodeAt(j)) && !'{[,]}"'.includes(text[j]!)) j++;
  return Math.max(j, i + 1);
}

function parseSpan(text: string): { ok: true; value: unknown } | { ok: false; message: string } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (e) {
    return { ok: false, message: (e as Error).message };
  }
}

/** Values one after another (HEC). Stops at the first that does not parse. */
export function splitConcatenated(text: string): SplitResult {
  const values: JsonSpan[] = [];
  let i = 0;
  for (;;) {
    while (i < text.length && isSpace(text.charCodeAt(i))) i++;
    if (i >= text.length) return { values, error: null };
    const end = valueEnd(text, i);
    const span = text.slice(i, end);
    const parsed = parseSpan(span);
    if (!parsed.ok) return { values, error: { index: values.length, message: parsed.message } };
    values.push({ text: span, value: parsed.value });
    i = end;
  }
}

/** The elements of a top-level JSON array, each with its exact text; null when the body is not an array. */
export function splitArray(text: string): JsonSpan[] | null {
  const whole = parseSpan(text);
  if (!whole.ok || !Array.isArray(whole.value)) return null;
  const items = whole.value as unknown[];
  const spans: JsonSpan[] = [];
  let i = text.indexOf('[') + 1;
  for (const value of items) {
    while (i < text.length && (isSpace(text.charCodeAt(i)) || text[i] === ',')) i++;
    const end = valueEnd(text, i);
    spans.push({ text: text.slice(i, end), value });
    i = end;
  }
  return spans;
}
