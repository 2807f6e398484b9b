import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as schema from './schema';

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
  const db = drizzle(sqlite, { schema });
  migrate(db, { migrationsFolder });
  return db as DB;
}

/** True when the database has no users yet, i.e. a first start. */
export function isEmpty(db: DB): boolean {
  return (db.$client.prepare('SELECT count(*) AS n FROM users').get() as { n: number }).n === 0;
}

/**
 * Runs fn in one IMMEDIATE transaction: the record and its audit row commit together or not at all.
 * better-sqlite3 is synchronous, so `db` used inside fn is inside the transaction.
 */
export function inTransaction<T>(db: DB, fn: () => T): T {
  return db.$client.transaction(fn).immediate();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Statement = Database.Statement<any[]>;
const statements = new WeakMap<DB, Map<string, Statement>>();

/** A prepared statement cached per database: hot paths (journal, policy) skip re-parsing SQL. */
export function prepared(db: DB, sql: string): Statement {
  let m = statements.get(db);
  if (!m) statements.set(db, (m = new Map()));
  let s = m.get(sql);
  if (!s) m.set(sql, (s = db.$client.prepare(sql)));
  return s;
}
