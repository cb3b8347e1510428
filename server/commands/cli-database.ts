// Opening the database for the commands that read or write it (replay, export, import):
// a missing file, a newer schema or a file that is not SQLite is one line naming --db.
import { existsSync } from 'node:fs';
import { UsageError } from '../config.ts';
import { openDatabase, type Db } from '../store/db.ts';
import { DatabaseTooNewError } from '../store/migrations.ts';

/** Open a database that must already exist (replay, export): a missing file is a usage error, not a new empty database. */
export function openExistingDatabase(file: string): Db {
  if (!existsSync(file)) throw new UsageError(`--db ${file}: no such file (start "serve --db ${file}" first, or give the right path)`);
  return openDatabaseForCli(file);
}

export function openDatabaseForCli(file: string): Db {
  try {
    return openDatabase(file);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (err instanceof DatabaseTooNewError) throw new UsageError(`--db ${e.message}`);
    if (typeof e.code === 'string' && e.code.startsWith('SQLITE_')) throw new UsageError(`--db ${file}: ${e.message}`);
    throw err;
  }
}
