// The job registry: a client-chosen id is used only when valid and free, wait() resolves
// with the final status of a job that ran out or was stopped, and every message names it.
import { describe, expect, it } from 'vitest';
import type { JobStatus } from '../../server/common/protocol.ts';
import { createJobs, isValidJobId, type JobControl } from '../../server/sender/jobs.ts';

const tick = () => new Promise((r) => setTimeout(r, 5));

function setup() {
  const published: JobStatus[] = [];
  return { published, jobs: createJobs({ publish: (j) => published.push(j), throttleMs: 0 }) };
}

/** A job whose items finish one by one when `step()` is called; stops when aborted. */
function stepped() {
  let release: (() => void) | null = null;
  const step = async () => {
    while (!release) await tick();
    const r = release;
    release = null;
    r();
    await tick();
  };
  const run = async (ctl: JobControl, items: number) => {
    for (let i = 0; i < items && !ctl.signal.aborted; i++) {
      await new Promise<void>((resolve) => {
        release = resolve;
        ctl.signal.addEventListener('abort', () => resolve(), { once: true });
      });
      if (!ctl.signal.aborted) ctl.progress(i % 2 === 0);
    }
  };
  return { step, run };
}

describe('job ids', () => {
  it('accepts 8-64 characters of [A-Za-z0-9_-] only', () => {
    for (const ok of ['abcdEFGH', 'a_b-c_d-0123', 'x'.repeat(64)]) expect(isValidJobId(ok), ok).toBe(true);
    for (const bad of ['', 'short7!', 'abcdefg', 'x'.repeat(65), 'has space1', 'slash/abcdef', 'ümlautabcd']) expect(isValidJobId(bad), bad).toBe(false);
  });

  it('uses a requested id when valid and free, else a generated one', async () => {
    const { jobs } = setup();
    const a = jobs.start('send', 1, 't', async () => undefined, 'client-chosen-1');
    expect(a.id).toBe('client-chosen-1');
    await jobs.wait(a.id);
    // Held by a finished job that is still kept: not reused, so its outcome stays readable.
    const b = jobs.start('send', 1, 't', async () => undefined, 'client-chosen-1');
    expect(b.id).not.toBe('client-chosen-1');
    expect(b.id).toMatch(/^[0-9a-f]{12}$/);
    const c = jobs.start('replay', 1, 't', async () => undefined, 'bad id!');
    expect(c.id).toMatch(/^[0-9a-f]{12}$/);
    const d = jobs.start('replay', 1, 't', async () => undefined);
    expect(new Set([a.id, b.id, c.id, d.id]).size).toBe(4);
    await jobs.close();
  });
});

describe('wait', () => {
  it('resolves with the final status once the job has run out, and every message names the job', async () => {
    const { jobs, published } = setup();
    const { step, run } = stepped();
    const started = jobs.start('send', 3, 'http://t/', (ctl) => run(ctl, 3), 'send-job-0001');
    let settled: JobStatus | undefined;
    const waiting = jobs.wait(started.id).then((s) => (settled = s));
    await step();
    await step();
    expect(settled).toBeUndefined();
    expect(jobs.get(started.id)).toMatchObject({ state: 'running', done: 2 });
    await step();
    expect(await waiting).toMatchObject({ id: 'send-job-0001', kind: 'send', state: 'done', total: 3, done: 3, ok: 2, failed: 1 });
    expect(settled?.finishedAt).not.toBeNull();
    expect(published.every((j) => j.id === 'send-job-0001' && j.kind === 'send')).toBe(true);
    // Start, each step, and the end (the last step's message may be folded into it).
    expect(published.map((j) => j.done).slice(0, 3)).toEqual([0, 1, 2]);
    expect(published.at(-1)).toMatchObject({ state: 'done', done: 3 });
    // A finished job answers at once; an unknown one with undefined.
    expect(await jobs.wait(started.id)).toMatchObject({ state: 'done' });
    expect(await jobs.wait('no-such-job')).toBeUndefined();
  });

  it('resolves with state stopped when the job is stopped early', async () => {
    const { jobs } = setup();
    const { step, run } = stepped();
    const started = jobs.start('send', 5, 'http://t/', (ctl) => run(ctl, 5), 'send-job-0002');
    const waiting = jobs.wait(started.id);
    await step();
    const stopped = await jobs.stop(started.id);
    expect(stopped).toMatchObject({ state: 'stopped', done: 1 });
    expect(await waiting).toEqual(stopped);
  });
});
