// Waiting on a condition instead of a fixed sleep: polls until the predicate holds, and
// fails with the description when it does not within the timeout.

/** Resolves as soon as `predicate()` is true; rejects after `timeoutMs`. */
export async function waitUntil(predicate: () => boolean | Promise<boolean>, options: { timeoutMs?: number; intervalMs?: number; what?: string } = {}): Promise<void> {
  const deadline = Date.now() + (options.timeoutMs ?? 5000);
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${options.what ?? 'a condition'}`);
    await new Promise((r) => setTimeout(r, options.intervalMs ?? 10));
  }
}

/**
 * A fixed pause, only to prove that something does NOT happen within it: every call site
 * says in a comment what must not happen.
 */
export function holdStill(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
