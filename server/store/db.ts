// Opens the SQLite database with the pragmas this tool's guarantees rest on, and migrates it.
import Database from 'better-sqlite3';
import { migrate } from './migrations.ts';

export type Durability = 'normal' | 'full';
export type Db = Database.Database;

export interface OpenOptions {
  /** normal: survives a process crash (kill -9); full: also survives power loss. */
  durability?: Durability;
  readonly?: boolean;
}

/**
 * Open (creating if needed) and migrate. WAL lets readers (the UI, `replay`, `export`)
 * run beside the writer. better-sqlite3 would silently use synchronous=NORMAL under WAL;
 * we set it explicitly: NORMAL syncs the WAL at checkpoints only, so a committed
 * transaction survives a crash of this process but may be lost on power failure;
 * FULL syncs on every commit (https://www.sqlite.org/pragma.html#pragma_synchronous).
 */
export function openDatabase(file: string, options: OpenOptions = {}): Db {
  const db = new Database(file, { readonly: options.readonly ?? false, fileMustExist: options.readonly ?? false });
  db.pragma('busy_timeout = 5000');
  if (!options.readonly) {
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${options.durability === 'full' ? 'FULL' : 'NORMAL'}`);
    db.pragma('foreign_keys = ON');
  }
  migrate(db, file);
  return db;
}
