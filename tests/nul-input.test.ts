// U+0000 in any field (issue 12's CI found it: PostgreSQL refuses the statement, a 500). Every POST route
// of the matrix gets its valid form with one field at a time turned into "…\0…", as a user it allows:
// never a 5xx, a refusal (4xx) changes nothing, and no NUL is ever stored (db/storable-text.ts checks
// every bound value on both databases). A NUL in a query string or a login is refused the same way.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { getTableName, getTableColumns, is, sql } from 'drizzle-orm';
import { SQLiteTable } from 'drizzle-orm/sqlite-core';
import * as schema from '../db/schema';
import { makeTestApp, type TestApp } from './helpers/app';
import { clientFor } from './helpers/session';
import { MATRIX, emailOf, loadFixtures, someAllowedUser, type Fixtures } from './helpers/routes';

let t: TestApp;
let f: Fixtures;
beforeAll(async () => {
  t = await makeTestApp({ loginLimits: { windowMs: 60_000, perAccount: 1_000_000, perAddress: 1_000_000 } });
  f = await loadFixtures(t.store);
});
afterAll(async () => { await t.close(); });

const fingerprint = async () => ({
  audit: (await t.store.get<{ n: number }>(sql`SELECT count(*) AS n FROM audit_log`))!.n,
  marks: (await t.store.get<{ v: number }>(sql`SELECT coalesce(sum(version), 0) AS v FROM marks`))!.v,
  users: (await t.store.get<{ v: number }>(sql`SELECT coalesce(sum(version), 0) AS v FROM users`))!.v,
});

const cases = Object.entries(MATRIX).filter(([r]) => r.startsWith('POST ')).flatMap(([route, cs]) => cs.filter((c) => c.form).map((c) => ({ route, c })));

describe('a NUL byte in a form field', () => {
  // A failed login appends its one audit row (DESIGN.md §2): the login has a test of its own below.
  it.each(cases.filter((x) => x.route !== 'POST /login').map((x) => [`${x.route} (${x.c.name})`, x] as const))('%s: no 5xx; refused changes nothing', async (_n, { c }) => {
    const client = await clientFor(t.app, t.store, emailOf(someAllowedUser(c)));
    const form = (await c.form!(f)) as Record<string, unknown>;
    const fields = Object.keys(form).filter((k) => k !== '_csrf');
    for (const k of fields.length ? fields : ['x']) {
      const url = await c.url(f); // some fixtures make a fresh user or grant: before the count
      const before = await fingerprint();
      const res = await client.post(url, { ...form, [k]: `${String(form[k] ?? '')}a\u0000b` });
      expect(res.statusCode, `${k}: ${res.body.slice(0, 200)}`).toBeLessThan(500);
      if (res.statusCode >= 400) expect(await fingerprint(), k).toEqual(before);
    }
  });

  it.runIf(process.env.TEST_DB !== 'postgres')('left no NUL in any text column (SQLite would have kept one)', async () => {
    for (const table of (Object.values(schema) as unknown[]).filter((x): x is SQLiteTable => is(x, SQLiteTable))) {
      for (const col of Object.values(getTableColumns(table)).filter((c) => c.dataType === 'string')) {
        const n = (await t.store.get<{ n: number }>(sql`SELECT count(*) AS n FROM ${sql.identifier(getTableName(table))}
          WHERE instr(${sql.identifier(col.name)}, char(0)) > 0`))!.n;
        expect(n, `${getTableName(table)}.${col.name}`).toBe(0);
      }
    }
  });
});

describe('a NUL byte elsewhere', () => {
  it('a login with one is a failed login (one audit row), in the user language', async () => {
    const client = await clientFor(t.app, t.store, null);
    const audit = (await fingerprint()).audit;
    const ru = await client.post('/login', { email: 'teacher@demo.test\u0000', password: 'demo-password' }, { 'accept-language': 'ru' });
    expect(ru.statusCode).toBeGreaterThanOrEqual(400);
    expect(ru.statusCode).toBeLessThan(500);
    expect(ru.headers['set-cookie'] ?? '').not.toContain('zsession=');
    expect((await fingerprint()).audit).toBe(audit + 1);
  });

  it('a search query string with %00 is refused with 400, not a 500', async () => {
    const admin = await clientFor(t.app, t.store, 'admin@demo.test');
    const res = await admin.get('/admin/people?q=%00');
    expect(res.statusCode).toBe(400);
    expect((await admin.get('/admin/people?q=ivan')).statusCode).toBe(200);
  });
});
