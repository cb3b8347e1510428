// Diagnostic (not part of `npm run bench`): what one group commit costs the writer, by group
// size, and which b-trees it writes. Rows go straight through the store's insertBatch on a
// fresh database holding BASE rows already (as the writer thread does it, automerge off),
// then the WAL is read back: each frame is one page written, and dbstat names the table or
// index that page belongs to. Prints CPU per row and WAL frames per commit, table by table.
// Run: npx tsx bench/commit-cost.ts [group sizes, default 27,2000]
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../server/store/db.ts';
import { createDeliveryStore } from '../server/store/deliveries.ts';
import { seededRecords } from './lib/seed.ts';
import { heading, line } from './lib/report.ts';

const BASE = Number(process.env.BENCH_COMMIT_BASE ?? 20_000);
const MEASURED = 20_000;

/** Page numbers of the frames in a WAL file, in order. */
function walPages(file: string): number[] {
  const wal = readFileSync(file);
  const pageSize = wal.readUInt32BE(8);
  const pages: number[] = [];
  for (let at = 32; at + 24 + pageSize <= wal.length; at += 24 + pageSize) pages.push(wal.readUInt32BE(at));
  return pages;
}

const all = [...seededRecords(BASE + MEASURED, Date.now(), 3600_000)].map((r) => r.record);
for (const group of (process.argv[2] ?? '27,2000').split(',').map(Number)) {
  const dir = mkdtempSync(join(tmpdir(), 'soveren-commit-cost-'));
  try {
    const file = join(dir, 'cost.db');
    const db = openDatabase(file);
    db.pragma('wal_autocheckpoint = 0');
    db.exec(`INSERT INTO deliveries_fts (deliveries_fts, rank) VALUES ('automerge', 0)`);
    const store = createDeliveryStore(db, { maxDeliveries: 100_000 });
    store.insertBatch(all.slice(0, BASE));
    db.pragma('wal_checkpoint(TRUNCATE)');

    const cpu = process.cpuUsage();
    let rows = 0;
    let commits = 0;
    for (let i = BASE; i + group <= BASE + MEASURED; i += group) {
      store.insertBatch(all.slice(i, i + group));
      rows += group;
      commits++;
    }
    const used = process.cpuUsage(cpu);
    const owner = new Map<number, string>();
    for (const r of db.prepare('SELECT name, pageno FROM dbstat').all() as { name: string; pageno: number }[]) owner.set(r.pageno, r.name);
    const pages = walPages(`${file}-wal`);
    const byTree = new Map<string, number>();
    for (const p of pages) {
      const tree = owner.get(p) ?? '(freed or new)';
      byTree.set(tree, (byTree.get(tree) ?? 0) + 1);
    }
    db.close();

    heading(`group commits of ${group} rows (${commits} commits on ${BASE.toLocaleString('en-US')} stored rows)`);
    line('writer CPU per row', `${((used.user + used.system) / rows).toFixed(1)} µs (of which system ${(used.system / rows).toFixed(1)} µs)`);
    line('WAL frames (pages) per commit', `${(pages.length / commits).toFixed(1)} (${((pages.length * 4096) / rows / 1024).toFixed(1)} KiB per row)`);
    for (const [tree, n] of [...byTree].sort((a, b) => b[1] - a[1])) line(`  ${tree}`, (n / commits).toFixed(1));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
