// Schema migrations keyed by PRAGMA user_version, each applied in one transaction.
// A database written by a newer version of this tool is refused, never "downgraded".
import type Database from 'better-sqlite3';

type Migration = (db: Database.Database) => void;

/** Widths (ms) of the histogram buckets kept on write: 1 min, 10 min, 1 h, 6 h, 1 day. */
export const HISTOGRAM_LEVELS = [60_000, 600_000, 3_600_000, 21_600_000, 86_400_000] as const;

const MIGRATIONS: Migration[] = [
  (db) => {
    db.exec(`
      CREATE TABLE deliveries (
        id INTEGER PRIMARY KEY AUTOINCREMENT, -- AUTOINCREMENT: ids never reused, stream cursors stay valid
        received_at INTEGER NOT NULL,          -- epoch ms
        method TEXT NOT NULL,
        path TEXT NOT NULL,
        query TEXT NOT NULL,
        remote_address TEXT,
        headers TEXT NOT NULL,                 -- JSON [[name, value], ...] in received order
        body BLOB NOT NULL,
        size INTEGER NOT NULL,
        body_sha256 TEXT NOT NULL,
        body_kind TEXT NOT NULL,
        content_type TEXT,
        category TEXT,
        category_facet TEXT,
        event_type TEXT,
        sensitivity TEXT,
        title TEXT,
        event_time TEXT,
        signature TEXT NOT NULL,
        signature_detail TEXT NOT NULL,
        user_agent TEXT NOT NULL,
        user_agent_value TEXT,
        findings TEXT NOT NULL,
        finding_count INTEGER NOT NULL,
        status INTEGER NOT NULL,
        refused TEXT,
        duplicate_of INTEGER
      );
      -- Listing is newest first under equality filters: (filter columns..., id) lets SQLite
      -- walk one index backwards and stop after LIMIT rows.
      CREATE INDEX deliveries_category ON deliveries (category_facet, event_type, id);
      CREATE INDEX deliveries_category_only ON deliveries (category_facet, id);
      CREATE INDEX deliveries_event_type ON deliveries (event_type, id);
      CREATE INDEX deliveries_sensitivity ON deliveries (sensitivity, id);
      CREATE INDEX deliveries_signature ON deliveries (signature, id);
      CREATE INDEX deliveries_user_agent ON deliveries (user_agent, id);
      CREATE INDEX deliveries_path ON deliveries (path, id);
      CREATE INDEX deliveries_sha ON deliveries (body_sha256, id);

      -- Free text over title and body. Contentless (the text lives in deliveries already)
      -- and detail=none (no positions) keep the index small.
      CREATE VIRTUAL TABLE deliveries_fts USING fts5 (title, body, content='', contentless_delete=1, detail=none);
      CREATE TRIGGER deliveries_fts_delete AFTER DELETE ON deliveries BEGIN
        DELETE FROM deliveries_fts WHERE rowid = old.id;
      END;

      CREATE TABLE attempts (
        id INTEGER PRIMARY KEY,
        delivery_id INTEGER NOT NULL REFERENCES deliveries (id) ON DELETE CASCADE,
        kind TEXT NOT NULL,
        target TEXT NOT NULL,
        status INTEGER,
        ok INTEGER NOT NULL,
        duration_ms REAL NOT NULL,
        error TEXT,
        at INTEGER NOT NULL,
        response_headers TEXT NOT NULL,
        response_body TEXT
      );
      CREATE INDEX attempts_delivery ON attempts (delivery_id, id);

      CREATE TABLE meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
      INSERT INTO meta (key, value) VALUES ('pruned', 0);
    `);
  },
  // Conformance check history (POST /api/checks). The token a run signed with is never stored.
  (db) => {
    db.exec(`
      CREATE TABLE check_runs (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        url TEXT NOT NULL,                     -- user:password removed
        state TEXT NOT NULL,                   -- running | passed | failed | interrupted
        started_at INTEGER NOT NULL,           -- epoch ms
        finished_at INTEGER,
        settings TEXT NOT NULL,                -- JSON CheckSettings
        planned TEXT NOT NULL,                 -- JSON CheckScenarioInfo[]
        results TEXT NOT NULL DEFAULT '[]',    -- JSON CheckResult[], appended as they land
        passed INTEGER NOT NULL DEFAULT 0,
        failed INTEGER NOT NULL DEFAULT 0,
        info INTEGER NOT NULL DEFAULT 0
      );
    `);
  },
  // Performance at a million rows (issue 7). Counts kept exact in the same transaction as
  // every insert and delete, so neither the row count nor facet counts ever count rows; bodies stored compressed in one chunk per group commit; one index fewer
  // on the write path (each index is one more page rewritten per commit per distinct key).
  (db) => {
    db.exec(`
      -- One row per distinct combination of the filterable columns, with its row count. The
      -- columns carry the deliveries' names, so a filter's WHERE clause runs here unchanged.
      CREATE TABLE delivery_counts (
        key TEXT PRIMARY KEY,                  -- json_array of the seven values (NULL-safe)
        category_facet TEXT, event_type TEXT, sensitivity TEXT, signature TEXT,
        user_agent TEXT, path TEXT, method TEXT,
        n INTEGER NOT NULL
      ) WITHOUT ROWID;
      INSERT INTO delivery_counts
        SELECT json_array(category_facet, event_type, sensitivity, signature, user_agent, path, method),
          category_facet, event_type, sensitivity, signature, user_agent, path, method, count(*)
        FROM deliveries GROUP BY 1;
      INSERT INTO meta (key, value) VALUES ('count', (SELECT count(*) FROM deliveries));

      -- Inserts add to the counts once per group commit (delivery-writes.ts insertBatch). Not a
      -- trigger: a statement with a trigger runs in a savepoint, and every savepoint makes
      -- FTS5 flush its pending terms, i.e. one tiny index segment per row instead of per commit.
      -- Deletes (any path, any number of rows) are counted here.
      CREATE TRIGGER deliveries_counts_delete AFTER DELETE ON deliveries BEGIN
        UPDATE meta SET value = value - 1 WHERE key = 'count';
        UPDATE delivery_counts SET n = n - 1
          WHERE key = json_array(old.category_facet, old.event_type, old.sensitivity, old.signature, old.user_agent, old.path, old.method);
        DELETE FROM delivery_counts
          WHERE key = json_array(old.category_facet, old.event_type, old.sensitivity, old.signature, old.user_agent, old.path, old.method) AND n <= 0;
      END;

      -- What only a delivery's detail reads (headers, signature detail, findings, body), for
      -- every delivery of one group commit, concatenated and compressed together
      -- (body-codec.ts); the row points at its chunk and entry offset and keeps '' and an
      -- empty body in those columns. Rows stored before this keep their columns.
      CREATE TABLE delivery_bodies (
        id INTEGER PRIMARY KEY AUTOINCREMENT,  -- never reused: readers cache chunks by id
        codec INTEGER NOT NULL,
        data BLOB NOT NULL
      );
      ALTER TABLE deliveries ADD COLUMN body_chunk INTEGER;
      ALTER TABLE deliveries ADD COLUMN body_offset INTEGER;
      CREATE INDEX deliveries_body_chunk ON deliveries (body_chunk) WHERE body_chunk IS NOT NULL;
      CREATE TRIGGER deliveries_body_delete AFTER DELETE ON deliveries
        WHEN old.body_chunk IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM deliveries WHERE body_chunk = old.body_chunk) BEGIN
        DELETE FROM delivery_bodies WHERE id = old.body_chunk;
      END;

      -- event_type then id, with the category facet alongside: newest-first for an event type,
      -- and category + event_type checks the facet in the index itself (no row read). It
      -- replaces (category_facet, event_type, id): 29 event types were 29 more pages per commit.
      DROP INDEX deliveries_category;
      DROP INDEX deliveries_event_type;
      CREATE INDEX deliveries_event_type ON deliveries (event_type, id, category_facet);

      -- Duplicates are found by hash; 64 bits of it in the index (a quarter of the size), the
      -- row confirms the rest.
      DROP INDEX deliveries_sha;
      CREATE INDEX deliveries_sha ON deliveries (substr(body_sha256, 1, 16), id);
    `);
  },
  // SIEM outputs (issue 14): what the sinks received, each linked to the delivery it came
  // from. Deliveries get two small integer keys (soveren/event-keys.ts) to be found by: the
  // event id of their link, and title + second. Rows stored before this have neither and are
  // found by body hash only.
  (db) => {
    db.exec(`
      ALTER TABLE deliveries ADD COLUMN link_key INTEGER;
      ALTER TABLE deliveries ADD COLUMN title_key INTEGER;
      CREATE INDEX deliveries_link_key ON deliveries (link_key) WHERE link_key IS NOT NULL;
      CREATE INDEX deliveries_title_key ON deliveries (title_key) WHERE title_key IS NOT NULL;

      CREATE TABLE outputs (
        id INTEGER PRIMARY KEY AUTOINCREMENT,  -- never reused: stream cursors stay valid
        received_at INTEGER NOT NULL,          -- epoch ms
        sink TEXT NOT NULL,                    -- hec | elastic | syslog | http
        transport TEXT NOT NULL,               -- http | tcp | udp
        method TEXT,
        path TEXT NOT NULL,                    -- request path; for syslog the transport
        remote_address TEXT,
        headers TEXT NOT NULL,                 -- JSON [[name, value], ...], credentials redacted
        body BLOB NOT NULL,                    -- the exact bytes of this item
        body_sha256 TEXT NOT NULL,
        fields TEXT NOT NULL,                  -- JSON: what the sink parsed (document, CEF fields...)
        title TEXT,
        event_type TEXT,
        event_time INTEGER,                    -- epoch ms found in the output
        delivery_id INTEGER,                   -- may outlive its delivery (pruned or deleted)
        link_rule TEXT,                        -- event_link | title_time | body_hash, null: unmatched
        link_note TEXT,                        -- why it matched nothing, or what matched
        summary TEXT NOT NULL                  -- JSON {name: text}: a few parsed fields for lists
      );
      CREATE INDEX outputs_delivery ON outputs (delivery_id, id) WHERE delivery_id IS NOT NULL;
      CREATE INDEX outputs_sink ON outputs (sink, id);
      INSERT INTO meta (key, value) VALUES ('outputs_pruned', 0), ('outputs_count', 0);
      CREATE TRIGGER outputs_count_delete AFTER DELETE ON outputs BEGIN
        UPDATE meta SET value = value - 1 WHERE key = 'outputs_count';
      END;
    `);
  },
  // Activity histogram kept on write (issue 15), like delivery_counts: counts per time bucket
  // at a few fixed widths, per combination of the filterable columns, so the histogram under
  // field filters sums a few thousand rows instead of reading every delivery. A bucket of
  // width L starts at a multiple of L (epoch ms); each width divides the histogram widths it
  // serves, so the sums are exact (delivery-histogram.ts).
  (db) => {
    db.exec(`
      -- Integer ids for delivery_counts keys (the same json_array), so bucket rows stay small.
      -- Never deleted: an id keeps meaning the same combination.
      CREATE TABLE delivery_combos (id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE);
      INSERT INTO delivery_combos (key) SELECT key FROM delivery_counts;
      CREATE TABLE delivery_histogram (
        level INTEGER NOT NULL,                -- bucket width in ms (HISTOGRAM_LEVELS)
        combo INTEGER NOT NULL,                -- delivery_combos.id
        start INTEGER NOT NULL,                -- epoch ms, a multiple of level
        n INTEGER NOT NULL,                    -- may reach 0 after deletes; queries skip those
        PRIMARY KEY (level, combo, start)
      ) WITHOUT ROWID;
      WITH levels (ms) AS (VALUES ${HISTOGRAM_LEVELS.map((l) => `(${l})`).join(', ')})
      INSERT INTO delivery_histogram
        SELECT levels.ms, c.id, d.received_at / levels.ms * levels.ms, count(*)
        FROM deliveries d
        JOIN delivery_combos c ON c.key = json_array(d.category_facet, d.event_type, d.sensitivity, d.signature, d.user_agent, d.path, d.method)
        CROSS JOIN levels
        GROUP BY 1, 2, 3;
      -- Inserts add per group commit (delivery-writes.ts); deletes (any path) subtract here.
      -- One UPDATE over the list of full primary keys: SQLite looks each one up.
      CREATE TRIGGER deliveries_histogram_delete AFTER DELETE ON deliveries BEGIN
        UPDATE delivery_histogram SET n = n - 1 WHERE (level, combo, start) IN (VALUES
          ${HISTOGRAM_LEVELS.map((l) => `(${l}, (SELECT id FROM delivery_combos WHERE key = json_array(old.category_facet, old.event_type, old.sensitivity, old.signature, old.user_agent, old.path, old.method)), old.received_at / ${l} * ${l})`).join(',\n          ')});
      END;
    `);
  },
  // Outcomes as query fields (issue 15): the latest replay and forward attempt of each
  // delivery on its row (kept by attempts.ts record), any attempt's status, kind and target
  // indexed, attempts counted per event type for coverage, and the bookkeeping that turns
  // after:/before: into id bounds (time-bounds.ts).
  (db) => {
    db.exec(`
      ALTER TABLE deliveries ADD COLUMN replay_outcome TEXT;   -- latest replay attempt: ok | failed; NULL: none
      ALTER TABLE deliveries ADD COLUMN replay_status INTEGER; -- its HTTP status (NULL: no answer)
      ALTER TABLE deliveries ADD COLUMN forward_outcome TEXT;
      ALTER TABLE deliveries ADD COLUMN forward_status INTEGER;
      UPDATE deliveries SET (replay_outcome, replay_status) = (SELECT CASE ok WHEN 1 THEN 'ok' ELSE 'failed' END, status
        FROM attempts a WHERE a.delivery_id = deliveries.id AND a.kind = 'replay' ORDER BY a.id DESC LIMIT 1)
        WHERE id IN (SELECT delivery_id FROM attempts WHERE kind = 'replay');
      UPDATE deliveries SET (forward_outcome, forward_status) = (SELECT CASE ok WHEN 1 THEN 'ok' ELSE 'failed' END, status
        FROM attempts a WHERE a.delivery_id = deliveries.id AND a.kind = 'forward' ORDER BY a.id DESC LIMIT 1)
        WHERE id IN (SELECT delivery_id FROM attempts WHERE kind = 'forward');
      -- Partial: a new row (no attempt yet) adds nothing to them, so ingest pays nothing.
      CREATE INDEX deliveries_replay ON deliveries (replay_outcome, id) WHERE replay_outcome IS NOT NULL;
      CREATE INDEX deliveries_forward ON deliveries (forward_outcome, id) WHERE forward_outcome IS NOT NULL;

      -- attempt:5xx, attempt:timeout: what an attempt's status says, as an indexed value.
      ALTER TABLE attempts ADD COLUMN status_class TEXT GENERATED ALWAYS AS (CASE
        WHEN status IS NOT NULL THEN (status / 100) || 'xx'
        WHEN error LIKE 'timed out%' THEN 'timeout'
        ELSE 'error' END) VIRTUAL;
      CREATE INDEX attempts_status ON attempts (status, delivery_id);
      CREATE INDEX attempts_status_class ON attempts (status_class, delivery_id);
      -- via:forward, target:URL (one attempt described by via:, target: and attempt: together).
      CREATE INDEX attempts_kind ON attempts (kind, delivery_id);
      CREATE INDEX attempts_target ON attempts (target, kind, delivery_id);

      -- Coverage (issue 15): attempts per event type, kind, target and outcome, kept exact by
      -- triggers (attempts are few per second at most, unlike deliveries), so the coverage
      -- table reads a few hundred rows whatever the number of attempts. '' is no event type.
      CREATE TABLE attempt_counts (
        event_type TEXT NOT NULL, kind TEXT NOT NULL, target TEXT NOT NULL, ok INTEGER NOT NULL, n INTEGER NOT NULL,
        PRIMARY KEY (event_type, kind, target, ok)
      ) WITHOUT ROWID;
      INSERT INTO attempt_counts
        SELECT coalesce(d.event_type, ''), a.kind, a.target, a.ok, count(*) FROM attempts a JOIN deliveries d ON d.id = a.delivery_id GROUP BY 1, 2, 3, 4;
      CREATE TRIGGER attempts_counts_insert AFTER INSERT ON attempts BEGIN
        INSERT INTO attempt_counts (event_type, kind, target, ok, n)
          VALUES (coalesce((SELECT event_type FROM deliveries WHERE id = new.delivery_id), ''), new.kind, new.target, new.ok, 1)
          ON CONFLICT DO UPDATE SET n = n + 1;
      END;
      -- Attempts go with their delivery (ON DELETE CASCADE); the delivery's event type is
      -- still there before its row goes.
      CREATE TRIGGER deliveries_attempt_counts_delete BEFORE DELETE ON deliveries
        WHEN EXISTS (SELECT 1 FROM attempts WHERE delivery_id = old.id) BEGIN
        UPDATE attempt_counts SET n = n - (SELECT count(*) FROM attempts a WHERE a.delivery_id = old.id
            AND a.kind = attempt_counts.kind AND a.target = attempt_counts.target AND a.ok = attempt_counts.ok)
          WHERE event_type = coalesce(old.event_type, '')
            AND (kind, target, ok) IN (SELECT kind, target, ok FROM attempts WHERE delivery_id = old.id);
      END;

      -- The latest arrival time stored, and the largest step back in time from one row to a
      -- later one (ms): rows of a time range lie within id bounds found from them.
      INSERT INTO meta (key, value) VALUES ('time_max', coalesce((SELECT max(received_at) FROM deliveries), 0));
      INSERT INTO meta (key, value) VALUES ('time_slack', coalesce((SELECT max(m - received_at) FROM
        (SELECT received_at, max(received_at) OVER (ORDER BY id ROWS UNBOUNDED PRECEDING) AS m FROM deliveries)), 0));
    `);
  },
  // Outcome indexes that answer without reading rows (issue 15, measured at 1M rows): the
  // event type and category facet ride in the outcome index (replay:failed event_type:X walked
  // the index and read a row per entry: 20 ms, now 0.1), and -replay:none / -forward:none
  // walk ids of rows that have an outcome at all (a scan of ids: 8 ms, now 0.03).
  (db) => {
    db.exec(`
      DROP INDEX deliveries_replay;
      DROP INDEX deliveries_forward;
      CREATE INDEX deliveries_replay ON deliveries (replay_outcome, id, event_type, category_facet) WHERE replay_outcome IS NOT NULL;
      CREATE INDEX deliveries_forward ON deliveries (forward_outcome, id, event_type, category_facet) WHERE forward_outcome IS NOT NULL;
      CREATE INDEX deliveries_replayed ON deliveries (id) WHERE replay_outcome IS NOT NULL;
      CREATE INDEX deliveries_forwarded ON deliveries (id) WHERE forward_outcome IS NOT NULL;
    `);
  },
  // The body-hash index only for rows without an event link (issue 12, ingest cost): a
  // delivery with a link is found by link_key (its own index) for both duplicates and SIEM
  // outputs, so a second random-keyed index per row (36 of 228 pages written per 32-row
  // group commit, bench/commit-cost.ts) bought nothing for Soveren events.
  (db) => {
    db.exec(`
      DROP INDEX deliveries_sha;
      CREATE INDEX deliveries_sha ON deliveries (substr(body_sha256, 1, 16), id) WHERE link_key IS NULL;
    `);
  },
  // Check and export/import (issue 15): an imported delivery keeps the verdicts made when it
  // was received (imported_at says when it came in by `import`; NULL: received here), and a
  // check run says whether the UI or the CLI (`check --db`) ran it.
  (db) => {
    db.exec(`
      ALTER TABLE deliveries ADD COLUMN imported_at INTEGER; -- epoch ms of the import; NULL: received live
      ALTER TABLE check_runs ADD COLUMN source TEXT NOT NULL DEFAULT 'ui'; -- ui | cli
    `);
  },
  // What each attempt sent (issue 15): signing mode, payload format and, for "replay with
  // changes", the edited body and its SHA-256, so the attempt view can show the diff. Rows
  // recorded before this keep NULL (shown as "not recorded"). Never a token.
  (db) => {
    db.exec(`
      ALTER TABLE attempts ADD COLUMN signing TEXT;        -- fresh | kept | none
      ALTER TABLE attempts ADD COLUMN format TEXT;         -- soveren | ocsf | ecs | cef
      ALTER TABLE attempts ADD COLUMN edited_body TEXT;    -- replay with changes: the body sent
      ALTER TABLE attempts ADD COLUMN edited_sha256 TEXT;  -- its SHA-256, hex
    `);
  },
  // Work rolled up in batches (issue 12, rollup.ts): a group commit stores each row's
  // combination id and title key and nothing else for the histogram or the title index; every
  // ROLLUP_ROWS rows, and when the writer is idle, the rows past 'rollup_through' join the
  // buckets and delivery_title_keys in one pass. Five bucket upserts and a random-keyed title
  // index entry per row cost the writer about 0.7 + 1 WAL pages and 10 µs per row at high
  // rates (bench/commit-cost.ts). Readers add the rows past the mark themselves; a delete
  // subtracts from the buckets only rows already in them. Rows stored before this have no
  // combo: the trigger finds theirs by key, as before.
  (db) => {
    db.exec(`
      ALTER TABLE deliveries ADD COLUMN combo INTEGER;     -- delivery_combos.id
      INSERT INTO meta (key, value) VALUES ('rollup_through', coalesce((SELECT max(id) FROM deliveries), 0));
      DROP TRIGGER deliveries_histogram_delete;
      CREATE TRIGGER deliveries_histogram_delete AFTER DELETE ON deliveries
      WHEN old.id <= (SELECT value FROM meta WHERE key = 'rollup_through') BEGIN
        UPDATE delivery_histogram SET n = n - 1 WHERE (level, combo, start) IN (VALUES
          ${HISTOGRAM_LEVELS.map((l) => `(${l}, coalesce(old.combo, (SELECT id FROM delivery_combos WHERE key = json_array(old.category_facet, old.event_type, old.sensitivity, old.signature, old.user_agent, old.path, old.method))), old.received_at / ${l} * ${l})`).join(',\n          ')});
      END;
      CREATE TABLE delivery_title_keys (
        title_key INTEGER NOT NULL,
        id INTEGER NOT NULL,                   -- deliveries.id
        PRIMARY KEY (title_key, id)
      ) WITHOUT ROWID;
      INSERT INTO delivery_title_keys SELECT title_key, id FROM deliveries WHERE title_key IS NOT NULL ORDER BY 1, 2;
      DROP INDEX deliveries_title_key;
      CREATE TRIGGER deliveries_title_key_delete AFTER DELETE ON deliveries WHEN old.title_key IS NOT NULL BEGIN
        DELETE FROM delivery_title_keys WHERE title_key = old.title_key AND id = old.id;
      END;
    `);
  },
  // Pruned rows leave the full-text index when the writer is idle (fts-stale.ts): their ids
  // wait in fts_stale, and the delete trigger skips rows up to 'fts_defer_through'.
  (db) => {
    db.exec(`
      CREATE TABLE fts_stale (id INTEGER PRIMARY KEY);  -- deliveries.id of a pruned row still in deliveries_fts
      INSERT INTO meta (key, value) VALUES ('fts_defer_through', 0), ('fts_stale', 0);
      DROP TRIGGER deliveries_fts_delete;
      CREATE TRIGGER deliveries_fts_delete AFTER DELETE ON deliveries
      WHEN old.id > (SELECT value FROM meta WHERE key = 'fts_defer_through') BEGIN
        DELETE FROM deliveries_fts WHERE rowid = old.id;
      END;
    `);
  },
];

export const SCHEMA_VERSION = MIGRATIONS.length;

export class DatabaseTooNewError extends Error {}

export function migrate(db: Database.Database, file: string): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > SCHEMA_VERSION) {
    throw new DatabaseTooNewError(
      `${file}: database schema version ${current} is newer than this soveren-inspector understands (${SCHEMA_VERSION}); upgrade the tool or use another --db`,
    );
  }
  if (current === SCHEMA_VERSION || db.readonly) return;
  const run = db.transaction(() => {
    // Read again under the write lock: another connection (serve's writer thread opens the
    // same file while the main one does) may have migrated since the first read.
    const locked = db.pragma('user_version', { simple: true }) as number;
    for (let v = locked; v < SCHEMA_VERSION; v++) MIGRATIONS[v]!(db);
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
  });
  run.immediate();
}
