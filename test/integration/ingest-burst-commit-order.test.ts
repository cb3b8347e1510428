// Correctness of the fast ingest path (issue 7) under a concurrent burst: group commits on
// the writer thread, one frame write per group per client. Every answer comes after its
// row is committed; every stream client gets every delivery exactly once, in id order
// (unfiltered, filtered, and one that joins mid-burst from a cursor); groups really form.
import { Agent, request } from 'node:http';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestInspector, type TestInspector } from '../helpers/inspector.ts';
import { openStream } from '../helpers/stream.ts';
import { createEvents, serializeEvent } from '../../server/soveren/events.ts';
import { signBody } from '../../server/soveren/signature.ts';
import { categoryFacetOf } from '../../server/common/catalog.ts';

const TOKEN = 'perf-test-token';
const COUNT = 3000;
const CONCURRENCY = 48;

let t: TestInspector;
beforeAll(async () => {
  t = await startTestInspector({ tokens: [TOKEN] });
});
afterAll(() => t.close());

const events = createEvents({ all: true, count: Math.ceil(COUNT / 29), seed: 7, categoryForm: 'slug' }).slice(0, COUNT);

interface Answer {
  status: number;
  id: number;
  facet: string | null;
  /** Whether the row was in the database when the answer's headers arrived. */
  committed: boolean;
}

describe('ingest under a concurrent burst', () => {
  it('answers after commit and streams every delivery once, in order, to every client', async () => {
    const reader = new Database(t.dbPath, { readonly: true, fileMustExist: true });
    const rowExists = reader.prepare('SELECT 1 FROM deliveries WHERE id = ?').pluck();
    const all = await openStream(t.uiUrl);
    const filtered = await openStream(t.uiUrl, { q: 'category:data_at_risk' });
    await all.waitFor((m) => m.some((x) => x.type === 'live'));
    await filtered.waitFor((m) => m.some((x) => x.type === 'live'));
    const lastBefore = t.inspector.deliveries.stats().lastId;
    const commitsBefore = t.inspector.ingest.commits;

    const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
    const answers: Answer[] = [];
    let next = 0;
    let late: Awaited<ReturnType<typeof openStream>> | null = null;
    const send = (i: number) =>
      new Promise<void>((resolve, reject) => {
        const body = Buffer.from(serializeEvent(events[i]!));
        const req = request(t.receiverUrl, {
          method: 'POST', agent,
          headers: { 'content-type': 'application/json', 'user-agent': 'SoverenWebhook/1.0', 'x-soveren-signature': signBody(body, TOKEN), 'content-length': body.length },
        }, (res) => {
          const id = Number(res.headers['x-soveren-inspector-id']);
          // Read on our own connection the moment the answer is here: the row must already be there.
          answers.push({ status: res.statusCode ?? 0, id, facet: categoryFacetOf(String(events[i]!.category)), committed: rowExists.get(id) === 1 });
          res.resume();
          res.on('end', resolve);
        });
        req.on('error', reject);
        req.end(body);
      });
    const worker = async () => {
      while (next < COUNT) {
        const i = next++;
        // Halfway through, a client joins from a cursor: backlog, then live, no gap, no repeat.
        if (i === COUNT / 2) late = await openStream(t.uiUrl, { since: String(lastBefore + 100) });
        await send(i);
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    agent.destroy();

    expect(answers).toHaveLength(COUNT);
    expect(answers.filter((a) => a.status !== 200)).toEqual([]);
    expect(answers.filter((a) => !a.committed)).toEqual([]);
    const ids = answers.map((a) => a.id).sort((a, b) => a - b);
    expect(ids).toEqual(Array.from({ length: COUNT }, (_, k) => lastBefore + 1 + k));

    const last = ids[ids.length - 1]!;
    await all.waitFor(() => all.deliveryIds().at(-1) === last, 20_000);
    expect(all.deliveryIds()).toEqual(ids);
    const risky = answers.filter((a) => a.facet === 'data_at_risk').map((a) => a.id).sort((a, b) => a - b);
    await filtered.waitFor(() => filtered.deliveryIds().at(-1) === risky.at(-1), 20_000);
    expect(filtered.deliveryIds()).toEqual(risky);
    const joined = late!;
    await joined.waitFor(() => joined.deliveryIds().at(-1) === last, 20_000);
    expect(joined.deliveryIds()).toEqual(ids.filter((id) => id > lastBefore + 100));

    // Group commit really grouped: far fewer transactions than deliveries.
    const commits = t.inspector.ingest.commits;
    const groups = commits.groups - commitsBefore.groups;
    expect(commits.deliveries - commitsBefore.deliveries).toBe(COUNT);
    expect(groups).toBeLessThan(COUNT / 2);

    await Promise.all([all.close(), filtered.close(), joined.close()]);
    reader.close();
  });
});
