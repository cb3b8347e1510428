// "Replay with changes": the edited body must be JSON before it is sent. Gives the parse
// error with a line and column the user can find in the textarea.

export type JsonCheck = { ok: true } | { ok: false; message: string; line: number | null; column: number | null };

/** Line and column (1-based) of a character offset. */
export function positionOf(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, Math.max(0, Math.min(offset, text.length)));
  const lines = before.split('\n');
  return { line: lines.length, column: lines[lines.length - 1]!.length + 1 };
}

export function checkJson(text: string): JsonCheck {
  if (text.trim() === '') return { ok: false, message: 'The body is empty.', line: null, column: null };
  try {
    JSON.parse(text);
    return { ok: true };
  } catch (err) {
    const raw = err instanceof Error ? err.message : String(err);
    // V8: "... in JSON at position 12 (line 1 column 13)"; older: "... at position 12".
    const lineCol = /line (\d+) column (\d+)/.exec(raw);
    const pos = /position (\d+)/.exec(raw);
    const where = lineCol
      ? { line: Number(lineCol[1]), column: Number(lineCol[2]) }
      : pos
        ? positionOf(text, Number(pos[1]))
        : null;
    const message = raw.replace(/\s*\(line \d+ column \d+\)/, '').replace(/ in JSON at position \d+/, '').replace(/^JSON\.parse: /, '');
    return { ok: false, message, line: where?.line ?? null, column: where?.column ?? null };
  }
}

/** Pretty-prints JSON text for editing; text that is not JSON is returned as is. */
export function prettyJson(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}
