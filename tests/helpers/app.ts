import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { sql } from 'drizzle-orm';
import { openStore, type Queryable, type Store } from '../../db/store';
import { openPgStore } from '../../db/client-pg';
import { ON_PG, createDatabase } from './pg';
import { buildApp } from '../../server/app';
import { loadConfig } from '../../server/config';
import type { LimiterOptions } from '../../server/auth/login-limiter';
import { TEST_NOW, DEMO_PASSWORD, TEST_SECRET } from './constants';

/**
 * `store` is the app's own store (`app.store`): tests read with `t.store.get/all`, set up with `t.store.run/tx`.
 * `openAnother()` opens a second store on the same database, as another process (or a restart) would.
 */
export type TestApp = {
  app: FastifyInstance; store: Store; dir: string; close: () => Promise<void>; setNow: (ms: number) => void;
  openAnother: () => Promise<Store>;
};

/**
 * A real app on a real database with a fixed clock: a copy of the seeded template, migrated (a SQLite
 * file, or under `npm run test:pg` a PostgreSQL database cloned from the template and dropped at close).
 */
export async function makeTestApp(opts: { env?: Record<string, string>; loginLimits?: Partial<LimiterOptions>; seeded?: boolean } = {}): Promise<TestApp> {
  const dir = mkdtempSync(join(tmpdir(), 'zachetka-test-'));
  const file = join(dir, 'zachetka.sqlite');
  let openAnother: () => Promise<Store> = async () => openStore(file);
  let dropDatabase = async () => {};
  let store: Store;
  let dbEnv: Record<string, string> = {};
  if (ON_PG) {
    const db = await createDatabase('zk_test', opts.seeded !== false ? inject('templateDb') : undefined);
    dropDatabase = db.drop;
    openAnother = () => openPgStore(db.url);
    store = await openAnother();
    dbEnv = { DATABASE_URL: db.url };
  } else {
    if (opts.seeded !== false) copyFileSync(inject('templateDb'), file);
    store = openStore(file);
  }
  let now = TEST_NOW;
  const config = loadConfig({ DATA_DIR: dir, LOG_LEVEL: 'silent', SECRET: TEST_SECRET, ...dbEnv, ...opts.env });
  const app = await buildApp({ store, config, clock: () => now, logger: false, loginLimits: opts.loginLimits });
  await app.ready();
  return {
    app, store: app.store, dir, openAnother,
    setNow: (ms) => { now = ms; },
    close: async () => {
      await app.close();
      await store.close();
      await dropDatabase();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export type Agent = {
  cookies: Record<string, string>;
  csrf: string;
  get: (url: string, headers?: Record<string, string>) => Promise<LightMyRequestResponse>;
  post: (url: string, form: Record<string, string | number>, headers?: Record<string, string>) => Promise<LightMyRequestResponse>;
};

/** A browser-like client: keeps cookies, reads the CSRF token from each HTML page it gets; address = its client IP. */
export function agent(app: FastifyInstance, opts: { address?: string } = {}): Agent {
  const remoteAddress = opts.address;
  const a: Agent = {
    cookies: {},
    csrf: '',
    async get(url, headers = {}) {
      const res = await app.inject({ method: 'GET', url, remoteAddress, headers: { cookie: cookieHeader(a.cookies), ...headers } });
      absorb(a, res);
      return res;
    },
    async post(url, form, headers = {}) {
      const body = new URLSearchParams(Object.entries({ _csrf: a.csrf, ...form }).map(([k, v]) => [k, String(v)])).toString();
      const res = await app.inject({
        method: 'POST', url, payload: body, remoteAddress,
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookieHeader(a.cookies), ...headers },
      });
      absorb(a, res);
      return res;
    },
  };
  return a;
}

function cookieHeader(c: Record<string, string>): string {
  return Object.entries(c).map(([k, v]) => `${k}=${v}`).join('; ');
}

function absorb(a: Agent, res: LightMyRequestResponse) {
  for (const c of res.cookies) {
    if (c.value === '' || (c.maxAge !== undefined && c.maxAge <= 0) || (c.expires && c.expires.getTime() < Date.now())) delete a.cookies[c.name];
    else a.cookies[c.name] = c.value;
  }
  const m = /<meta name="csrf-token" content="([^"]+)"/.exec(res.body);
  if (m) a.csrf = m[1];
}

/** Logs in through the real form; throws when the login is refused. */
export async function loginAs(app: FastifyInstance, email: string, password = DEMO_PASSWORD): Promise<Agent> {
  const a = agent(app);
  await a.get('/login');
  const res = await a.post('/login', { email, password });
  if (res.statusCode !== 303) throw new Error(`login of ${email} refused: ${res.statusCode}`);
  await a.get('/');
  return a;
}

export async function userId(s: Queryable, email: string): Promise<number> {
  const row = await s.get<{ id: number }>(sql`SELECT id FROM users WHERE email = ${email}`);
  if (!row) throw new Error(`no user ${email}`);
  return row.id;
}
