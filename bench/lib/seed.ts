// Fast seeding of a database with realistic deliveries, straight through the store's
// insertBatch in big transactions (no HTTP): a few thousand analyzed requests serve as
// templates, and every row gets its own body (its own event link uuid, so distinct hashes
// and free-text tokens, as real events have), its own time and a mix of categories (all
// naming forms), verdicts and paths.
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../server/store/db.ts';
import { createDeliveryStore } from '../../server/store/deliveries.ts';
import type { NewDelivery } from '../../server/delivery/new-delivery.ts';
import { analyzeRequest } from '../../server/receiver/analyze.ts';
import { createEvent, serializeEvent, type CategoryForm } from '../../server/soveren/events.ts';
import { EVENT_TYPES } from '../../server/common/catalog.ts';
import { signBody } from '../../server/soveren/signature.ts';
import { BENCH_TOKEN } from './events.ts';
import { line, num } from './report.ts';

const TEMPLATES = 29 * 100;
const FORMS: CategoryForm[] = ['display', 'display', 'slug', 'legacy'];

export interface SeedResult {
  rows: number;
  ms: number;
  /** Bytes the receiver would have read: request line, headers and body. */
  rawBytes: number;
}

function rawSize(method: string, url: string, rawHeaders: readonly string[], body: Buffer): number {
  let n = `${method} ${url} HTTP/1.1\r\n`.length + 2 + body.length;
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) n += rawHeaders[i]!.length + 2 + rawHeaders[i + 1]!.length + 2;
  return n;
}

/** The i-th seeded request (pure): body, headers and path. */
export function seededRequest(i: number, now: number) {
  const t = i % TEMPLATES;
  const event = createEvent(EVENT_TYPES[t % EVENT_TYPES.length]!, { seed: 3, index: t, categoryForm: FORMS[t % FORMS.length]!, now: new Date(now) });
  const body = Buffer.from(serializeEvent(event));
  const signature = i % 17 === 0 ? signBody(Buffer.concat([body, Buffer.from(' ')]), BENCH_TOKEN) : signBody(body, BENCH_TOKEN);
  const url = i % 10 === 0 ? '/hooks/soveren' : '/';
  const rawHeaders = ['Host', '127.0.0.1:4781', 'User-Agent', i % 23 === 0 ? 'curl/8.5.0' : 'SoverenWebhook/1.0',
    'Content-Type', 'application/json', 'x-soveren-signature', signature, 'Content-Length', String(body.length)];
  return { body, url, rawHeaders };
}

/**
 * `count` analysed deliveries, spread over the `spanMs` before `now`, each with the raw size
 * the receiver would have read. Templates are analyzed once; each row then differs in body
 * bytes (its own event link uuid), hash and time.
 */
export function* seededRecords(count: number, now: number, spanMs: number): Generator<{ record: NewDelivery; rawBytes: number }> {
  const policy = { tokens: [BENCH_TOKEN], requireUserAgent: false, acceptInvalid: false, acceptStatus: 200 };
  const templates: NewDelivery[] = [];
  for (let t = 0; t < Math.min(TEMPLATES, count); t++) {
    const r = seededRequest(t, now);
    templates.push(analyzeRequest({ receivedAt: now, method: 'POST', url: r.url, remoteAddress: '127.0.0.1', rawHeaders: r.rawHeaders, body: r.body }, policy));
  }
  // Where each template's event link uuid sits: every row gets its own (same length).
  const linkAt = templates.map((t) => {
    const i = t.body.indexOf('/events/');
    return i < 0 ? -1 : i + '/events/'.length;
  });
  for (let i = 0; i < count; i++) {
    const tpl = templates[i % templates.length]!;
    let body = tpl.body;
    const at = linkAt[i % templates.length]!;
    if (at >= 0) {
      body = Buffer.from(tpl.body);
      body.write(uuidOf(i), at, 'latin1');
    }
    yield {
      rawBytes: rawSize(tpl.method, tpl.path, tpl.headers.flat(), body),
      record: {
        ...tpl,
        receivedAt: now - spanMs + Math.floor((i / count) * spanMs),
        body,
        bodySha256: body === tpl.body ? tpl.bodySha256 : sha256Hex(body),
        bodyText: body === tpl.body ? tpl.bodyText : body.toString('utf8'),
      },
    };
  }
}

/** Seed `count` deliveries (seededRecords) into `file`, spread over the last `spanMs`. */
export function seedDatabase(file: string, count: number, options: { spanMs?: number; batch?: number; onProgress?: (done: number) => void } = {}): SeedResult {
  const started = performance.now();
  const batchSize = options.batch ?? 5000;
  const db = openDatabase(file);
  // A fixture: a large page cache (the random dedupe-hash index is the slow part at 1M rows)
  // and no fsync; what is measured later is the server on this file, not this loading.
  db.pragma('cache_size = -262144');
  db.pragma('synchronous = OFF');
  const store = createDeliveryStore(db, { maxDeliveries: Number.MAX_SAFE_INTEGER });
  let rawBytes = 0;
  let done = 0;
  let batch: NewDelivery[] = [];
  for (const { record, rawBytes: raw } of seededRecords(count, Date.now(), options.spanMs ?? 7 * 24 * 3600_000)) {
    rawBytes += raw;
    batch.push(record);
    done++;
    if (batch.length === batchSize) {
      store.insertBatch(batch);
      batch = [];
      options.onProgress?.(done);
    }
  }
  if (batch.length) store.insertBatch(batch);
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  return { rows: count, ms: performance.now() - started, rawBytes };
}

function sha256Hex(b: Buffer): string {
  return createHash('sha256').update(b).digest('hex');
}

/** A v4-shaped uuid from a number (deterministic), as Soveren's event links carry. */
function uuidOf(i: number): string {
  const h = (n: number, len: number) => (n >>> 0).toString(16).padStart(8, '0').slice(-len);
  const a = Math.imul(i + 1, 0x9e3779b1);
  const b = Math.imul(i ^ 0x5bd1e995, 0x85ebca6b);
  return `${h(a, 8)}-${h(b, 4)}-4${h(b >>> 16, 3)}-8${h(a >>> 12, 3)}-${h(Math.imul(a, 31) ^ b, 8)}${h(i, 4)}`;
}

/** Seed a database for this run (or reuse BENCH_SEEDED_DB when it is there). */
export function seededDatabase(rows: number): { file: string; rawBytes: number | null; cleanup: () => void } {
  const shared = process.env.BENCH_SEEDED_DB;
  if (shared && existsSync(shared)) return { file: shared, rawBytes: Number(process.env.BENCH_SEEDED_RAW ?? NaN) || null, cleanup: () => {} };
  const dir = mkdtempSync(join(tmpdir(), 'soveren-bench-query-'));
  const file = shared ?? join(dir, 'seeded.db');
  let last = 0;
  const seeded = seedDatabase(file, rows, {
    onProgress: (n) => {
      if (n - last >= 250_000) {
        last = n;
        console.log(`  seeding… ${num(n)}`);
      }
    },
  });
  line(`seeded ${num(rows)} deliveries`, `${(seeded.ms / 1000).toFixed(1)} s (${num(rows / (seeded.ms / 1000))} rows/s through insertBatch), ${(statSync(file).size / 1024 / 1024).toFixed(0)} MiB`);
  if (shared) process.env.BENCH_SEEDED_RAW = String(seeded.rawBytes);
  return { file, rawBytes: seeded.rawBytes, cleanup: () => (shared ? undefined : rmSync(dir, { recursive: true, force: true })) };
}
