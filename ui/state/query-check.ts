// Inline check of the search box as the user types: a field value that means nothing, or a
// `name:` that is no field (searched as plain text then, which is rarely what was meant).
import { FIELD_ALIASES, parseQuery, QUERY_FIELDS } from '../../server/common/query.ts';
import { queryProblem } from '../../server/common/query-values.ts';
import { SIGNATURE_VERDICTS, USER_AGENT_VERDICTS } from '../../server/common/catalog.ts';

const VERDICTS: Partial<Record<string, readonly string[]>> = { sig: SIGNATURE_VERDICTS, ua: USER_AGENT_VERDICTS };

/** Colons that are part of ordinary text rather than a mistyped field. */
const SCHEMES = /^(https?|wss?|ftp|mailto|urn|arn)$/i;

/** One line naming the first problem of the typed query, or null when it reads fine. */
export function describeQueryProblem(text: string): string | null {
  const parsed = parseQuery(text);
  const problem = queryProblem(parsed);
  if (problem) return problem;
  for (const t of parsed.fields) {
    const allowed = VERDICTS[t.field];
    if (allowed && !allowed.includes(t.value.toLowerCase())) {
      return `${t.field}: expects ${allowed.slice(0, -1).join(', ')} or ${allowed[allowed.length - 1]}, got "${t.value.slice(0, 40)}"`;
    }
  }
  for (const w of parsed.words) {
    const name = /^([A-Za-z_]+):/.exec(w.text)?.[1];
    if (name && !SCHEMES.test(name) && !(name.toLowerCase() in FIELD_ALIASES)) {
      return `unknown field "${name}:", searched as text; fields are ${QUERY_FIELDS.join(', ')}`;
    }
  }
  return null;
}
