// Real PostgreSQL databases for tests: each one created for the test that needs it and dropped after.
// TEST_DATABASE_URL names the server (any database on it, e.g. postgres://postgres@127.0.0.1:5432/postgres);
// the tests create and drop their own databases next to it and never touch the one named.
import pg from 'pg';
import { randomBytes } from 'node:crypto';

export const PG_ADMIN_URL = process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';

/** The URL of database `name` on the test server. */
export function pgUrl(name: string): string {
  const u = new URL(PG_ADMIN_URL);
  u.pathname = `/${name}`;
  return u.toString();
}

export async function adminQuery(text: string): Promise<pg.QueryResult> {
  const c = new pg.Client({ connectionString: PG_ADMIN_URL });
  await c.connect();
  try {
    return await c.query(text);
  } finally {
    await c.end();
  }
}

/** A fresh name nobody else uses: tests of several workers and CI runs share one server. */
export function freshName(prefix: string): string {
  return `${prefix}_${process.pid}_${randomBytes(4).toString('hex')}`;
}

const quoted = (name: string) => {
  if (!/^[a-z0-9_]+$/.test(name)) throw new Error(`unsafe database name ${name}`);
  return `"${name}"`;
};

/** A new empty database (or a copy of `template`); returns its URL and the function that drops it. */
export async function createDatabase(prefix: string, template?: string): Promise<{ name: string; url: string; drop: () => Promise<void> }> {
  const name = freshName(prefix);
  await adminQuery(`CREATE DATABASE ${quoted(name)}${template ? ` TEMPLATE ${quoted(template)}` : ''}`);
  return { name, url: pgUrl(name), drop: () => dropDatabase(name) };
}

/** Drops the database even if a connection was left open (a crashed child process). */
export async function dropDatabase(name: string): Promise<void> {
  await adminQuery(`DROP DATABASE IF EXISTS ${quoted(name)} WITH (FORCE)`);
}

/** `npm run test:pg` runs the same tests with every app on a PostgreSQL database of its own. */
export const ON_PG = process.env.TEST_DB === 'postgres';
