// Opening a PostgreSQL register: check the URL and the server with a clear message, then bring the schema
// to the latest migration (db/migrations-pg). Several app processes may start at once against an empty
// database: the migrations run under a session-level pg_advisory_lock, so one process migrates and the
// others wait, then find nothing left to do.
import pg from 'pg';
import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PgStore, type PgStoreOptions } from './store-pg';

const migrationsFolder = join(dirname(fileURLToPath(import.meta.url)), 'migrations-pg');
/** One number for "zachetka migrates": any constant both sides agree on. */
export const MIGRATION_LOCK = 7_213_001;

export class DatabaseUrlError extends Error {}

/** A postgres:// URL, or a message saying what is wrong with it (the password is never repeated). */
export function checkDatabaseUrl(url: string): string | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return 'DATABASE_URL is not a URL: expected postgres://user@host:5432/database';
  }
  if (u.protocol !== 'postgres:' && u.protocol !== 'postgresql:') {
    return `DATABASE_URL must start with postgres:// or postgresql:// (got ${u.protocol}//); leave it unset for SQLite`;
  }
  if (!u.hostname) return 'DATABASE_URL has no host: expected postgres://user@host:5432/database';
  if (u.pathname.length <= 1) return 'DATABASE_URL names no database: expected postgres://user@host:5432/database';
  return null;
}

/** The URL with its password masked, for banners and error messages. */
export function displayUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(invalid URL)';
  }
}

/** Applies the committed PostgreSQL migrations, one process at a time. */
export async function migratePg(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url, application_name: 'zachetka-migrate' });
  try {
    await client.connect();
  } catch (e) {
    throw new DatabaseUrlError(`Cannot reach PostgreSQL at ${displayUrl(url)}: ${(e as Error).message}`);
  }
  try {
    await client.query('SET client_min_messages = warning'); // "schema already exists, skipping" is noise
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    try {
      await migrate(drizzle(client), { migrationsFolder });
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
    }
  } finally {
    await client.end();
  }
}

/** The register at `url`, checked, migrated, as a store on a pool. */
export async function openPgStore(url: string, opts: PgStoreOptions = {}): Promise<PgStore> {
  const problem = checkDatabaseUrl(url);
  if (problem) throw new DatabaseUrlError(problem);
  await migratePg(url);
  return new PgStore(url, opts);
}
