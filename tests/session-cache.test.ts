import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { makeTestApp, loginAs, userId, type Agent, type TestApp } from './helpers/app';
import { buildApp } from '../server/app';
import { loadConfig } from '../server/config';
import { TEST_NOW } from './helpers/constants';

let t: TestApp;
beforeEach(async () => { t = await makeTestApp(); });
afterEach(async () => { await t.close(); });

const cookieOf = (a: Agent) => Object.entries(a.cookies).map(([k, v]) => `${k}=${v}`).join('; ');
const getAs = (app: FastifyInstance, a: Agent, url: string) => app.inject({ method: 'GET', url, headers: { cookie: cookieOf(a) } });

/** A second server process on the same database file, as behind a load balancer. */
async function secondProcess(): Promise<{ app: FastifyInstance; close: () => Promise<void> }> {
  const store = await t.openAnother(); // the same database (SQLite file or PostgreSQL), another store
  const config = loadConfig({ DATA_DIR: t.dir, LOG_LEVEL: 'silent', SECRET: 'test-secret-test-secret-test-secret-0123' });
  const app = await buildApp({ store, config, clock: () => TEST_NOW, logger: false });
  await app.ready();
  return { app, close: async () => { await app.close(); await store.close(); } };
}

describe('the session cache', () => {
  it('spares a signed-in request the session and user reads once cached, and serves the same user', async () => {
    const a = await loginAs(t.app, 'teacher@demo.test');
    t.app.sessions.clear();
    const s0 = t.store.stats.statements;
    const first = await a.get('/');
    const s1 = t.store.stats.statements;
    const second = await a.get('/');
    const s2 = t.store.stats.statements;
    expect(first.statusCode).toBe(200);
    expect(second.body.replace(/[A-Za-z0-9+/=_-]{20,}/g, '')).toBe(first.body.replace(/[A-Za-z0-9+/=_-]{20,}/g, ''));
    expect(s2 - s1).toBe(s1 - s0 - 2); // the session's row and the user's (one query with the roles)
  });

  it("refuses a disabled user's cached session on the next request", async () => {
    const victim = await loginAs(t.app, 'teacher2@demo.test');
    expect((await victim.get('/')).statusCode).toBe(200);
    expect(t.app.sessions.size).toBeGreaterThan(0);
    const dean = await loginAs(t.app, 'dean@demo.test');
    const id = await userId(t.store, 'teacher2@demo.test');
    expect((await dean.post(`/admin/people/${id}/disable`, { reason: 'Проверка кэша' })).statusCode).toBe(303);
    const next = await victim.get('/');
    expect(next.statusCode).toBe(303);
    expect(next.headers.location).toBe('/login');
  });

  it('a withdrawn role is gone on the next request', async () => {
    const dean = await loginAs(t.app, 'dean@demo.test');
    expect((await dean.get('/admin/reports')).statusCode).toBe(200);
    const id = await userId(t.store, 'dean@demo.test');
    const role = (await t.store.get<{ id: number }>(sql`SELECT id FROM user_roles WHERE user_id = ${id} AND role = 'admin'`))!.id;
    const admin = await loginAs(t.app, 'admin@demo.test');
    expect((await admin.post(`/admin/people/${id}/roles/${role}/revoke`, { reason: 'Проверка кэша' })).statusCode).toBe(303);
    expect(await t.store.get(sql`SELECT id FROM user_roles WHERE id = ${role}`)).toBeUndefined();
    expect((await dean.get('/admin/reports')).statusCode).toBe(404);
  });

  it("another process's logout reaches this process's cache through the change stream", async () => {
    const other = await secondProcess();
    try {
      const a = await loginAs(t.app, 'student@demo.test');
      expect((await getAs(other.app, a, '/')).statusCode).toBe(200); // cached over there
      expect(other.app.sessions.size).toBe(1);
      const stolen = cookieOf(a); // the agent forgets its cookie at logout; a copy of it must not work either
      expect((await a.post('/logout', {})).statusCode).toBe(303);
      await other.app.publisher.drain(); // what the bell (or the 1 s timer) makes it do
      const after = await other.app.inject({ method: 'GET', url: '/', headers: { cookie: stolen } });
      expect(after.statusCode).toBe(303);
      expect(after.headers.location).toBe('/login');
    } finally {
      await other.close();
    }
  });

  it("another process's language change shows on the next page there", async () => {
    const other = await secondProcess();
    try {
      const a = await loginAs(t.app, 'teacher@demo.test');
      const before = await getAs(other.app, a, '/');
      const lang = before.body.match(/<html lang="(\w+)"/)![1];
      const to = lang === 'ru' ? 'en' : 'ru';
      expect((await a.post('/lang', { lang: to, back: '/' })).statusCode).toBe(303);
      await other.app.publisher.drain();
      expect((await getAs(other.app, a, '/')).body).toContain(`<html lang="${to}"`);
    } finally {
      await other.close();
    }
  });
});
