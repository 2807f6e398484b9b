// Route × role matrix (issue 7). The entries live in tests/helpers/routes.ts (format documented at
// its top; adding a route is one line there). This file:
//  - enumerates every route from Fastify's route table and fails, naming it, if it has no entry;
//  - for every case and every demo user (+ anonymous) expects: allowed → the `ok` status and the
//    marker; not allowed → 403/404 (anonymous: also a redirect to /login) and never the marker.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { makeTestApp, type TestApp } from './helpers/app';
import { clientFor } from './helpers/session';
import { MATRIX, USERS, allowed, emailOf, loadFixtures, routeKey, type Fixtures } from './helpers/routes';
import { routeTable } from '../server/app';

let t: TestApp;
let f: Fixtures;
beforeAll(async () => {
  t = await makeTestApp({ loginLimits: { windowMs: 60_000, perAccount: 1000, perAddress: 100_000 } });
  f = await loadFixtures(t.store);
});
afterAll(async () => { await t.close(); });

describe('the route table', () => {
  it('has a matrix entry for every registered route', () => {
    const missing = routeTable(t.app).map(routeKey).filter((k) => !(k in MATRIX));
    expect(missing, `routes without an entry in tests/helpers/routes.ts MATRIX: ${missing.join(', ')}`).toEqual([]);
  });

  it('has no matrix entry for a route that does not exist', () => {
    const keys = new Set(routeTable(t.app).map(routeKey));
    expect(Object.keys(MATRIX).filter((k) => !keys.has(k))).toEqual([]);
  });
});

const cases = Object.entries(MATRIX).flatMap(([route, cs]) => cs.map((c) => ({ route, c })));

describe.each(cases)('$route — $c.name', ({ route, c }) => {
  it.each([...USERS])('as %s', async (u) => {
    const client = await clientFor(t.app, t.store, emailOf(u));
    const method = route.split(' ')[0];
    const res = method === 'GET' ? await client.get(await c.url(f)) : await client.post(await c.url(f), c.form ? await c.form(f) : {});
    const may = allowed(c, u);
    const marker = c.marker?.(f);
    const where = `${route} ${await c.url(f)} as ${u}: ${res.statusCode}`;
    expect(res.statusCode, where).toBeLessThan(500);
    if (c.mode === 'filter') {
      expect(res.statusCode, where).toBeLessThan(400);
      if (marker) expect(res.body.includes(marker), `${where} marker ${marker}`).toBe(may);
      return;
    }
    if (may) {
      if (c.ok) expect(c.ok, where).toContain(res.statusCode);
      else expect(res.statusCode, where).toBeGreaterThanOrEqual(200), expect(res.statusCode, where).toBeLessThan(300);
      if (marker) expect(res.body, where).toContain(marker);
    } else {
      const toLogin = u === 'anonymous' && res.statusCode === 303 && String(res.headers.location).startsWith('/login');
      expect(toLogin || res.statusCode === 403 || res.statusCode === 404, where).toBe(true);
      if (marker) expect(res.body, where).not.toContain(marker);
    }
  });
});
