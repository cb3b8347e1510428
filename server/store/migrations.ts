// Schema migrations keyed by PRAGMA user_version, each applied in one transaction.
// A database written by a newer version of this tool is refused, never "downgraded".
import type Database from 'better-sqlite3';

type Migration = (db: Database.Database) => void;

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
    for (let v = current; v < SCHEMA_VERSION; v++) MIGRATIONS[v]!(db);
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
  });
  run.immediate();
}
