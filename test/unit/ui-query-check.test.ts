// The search box's inline check: bad values and unknown field names are named, ordinary
// queries (URLs, aliases, quoted words) pass.
import { describe, expect, it } from 'vitest';
import { describeQueryProblem } from '../../ui/state/query-check.ts';

describe('search box check', () => {
  it('names values that mean nothing', () => {
    expect(describeQueryProblem('replay:maybe')).toContain('replay: expects ok, failed or none');
    expect(describeQueryProblem('sig:good')).toBe('sig: expects valid, invalid, missing, malformed or unchecked, got "good"');
    expect(describeQueryProblem('-ua:robot')).toContain('ua: expects ok, mismatch or missing');
    expect(describeQueryProblem('after:yesterday')).toContain('after: expects an ISO time');
  });

  it('names unknown fields, not URLs or aliases', () => {
    expect(describeQueryProblem('evnt_type:policy_violation')).toMatch(/^unknown field "evnt_type:", searched as text; fields are category, event_type/);
    expect(describeQueryProblem('https://example.com/x')).toBeNull();
    expect(describeQueryProblem('type:policy_violation signature:valid since:15m')).toBeNull();
    expect(describeQueryProblem('category:data_at_risk -sig:valid attempt:5xx words here')).toBeNull();
    expect(describeQueryProblem('')).toBeNull();
  });
});
