import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as schema from './schema';
import { sql } from 'drizzle-orm';
import type { Queryable } from './store';

export type DB = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

const migrationsFolder = join(dirname(fileURLToPath(import.meta.url)), 'migrations');

/** Opens (creating if needed) the database file and brings it to the latest migration. */
export function openDatabase(file: string): DB {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const sqlite = new Database(file);
  sqlite.pragma('journal_mode = WAL');
  // A mark is a legal record: "saved" must survive a power cut, not only a crash (DESIGN.md §3).
  // In WAL mode only FULL syncs the log on every commit; NORMAL may roll back the last commits.
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  registerFold(sqlite);
  const db = drizzle(sqlite, { schema });
  migrate(db, { migrationsFolder });
  return db as DB;
}

/** SQLite's lower() folds ASCII only: searches fold through this instead (db/sql-dialect.ts, folded). */
export function registerFold(sqlite: Database.Database): void {
  sqlite.function('zk_fold', { deterministic: true }, (v: unknown) => (typeof v === 'string' ? v.toLowerCase() : v) as string | null);
}

/** True when the database has no users yet, i.e. a first start. */
export async function isEmpty(s: Queryable): Promise<boolean> {
  return !(await s.get(sql`SELECT 1 AS one FROM users LIMIT 1`));
}
