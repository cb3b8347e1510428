// Bounds of a conformance check's settings, shared by the CLI flags (check/scenarios.ts) and
// the API contract (contract/requests.ts): a check must stay a check, not a load test.
export const CHECK_LIMITS = {
  timeoutMs: { min: 50, max: 120_000 },
  burst: { min: 1, max: 1000 },
  largeSize: { min: 4 * 1024, max: 64 * 1024 * 1024 },
  status: { min: 100, max: 599 },
  sinkWaitMs: { min: 0, max: 600_000 },
} as const;
