// CSRF tokens bound to the session (issue 10, item 7). The attack: the attacker plants their own CSRF
// cookie in the victim's browser (sibling subdomain, plain-http answer) and posts a form carrying the
// matching token; the victim's session cookie goes along. Before, the token only had to match the seed,
// so the victim's notifications were muted. Also: the cookies' __Host- names over https.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import WebSocket from 'ws';
import { sql } from 'drizzle-orm';
import type { AddressInfo } from 'node:net';
import { makeTestApp, agent, loginAs, userId, type Agent, type TestApp } from './helpers/app';
import { clientFor } from './helpers/session';
import { createSession, generateSessionToken } from '../server/auth/session';
import { TEST_NOW } from './helpers/constants';

let t: TestApp;
beforeAll(async () => { t = await makeTestApp(); });
afterAll(async () => { await t.close(); });

const muted = async (email: string) =>
  (await t.store.get<{ m: string; v: number }>(sql`SELECT notify_muted AS m, version AS v FROM users WHERE id = ${await userId(t.store, email)}`))!;
const auditCount = async () => (await t.store.get<{ n: number }>(sql`SELECT count(*) AS n FROM audit_log`))!.n;

/** A form post with exactly these cookies and this token, as the attacker's page makes the browser send it. */
const forged = (cookies: Record<string, string>, token: string, body = 'notify=mark') =>
  t.app.inject({
    method: 'POST', url: '/account/notifications', payload: `${body}&_csrf=${encodeURIComponent(token)}`,
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: Object.entries(cookies).map(([k, v]) => `${k}=${v}`).join('; ') },
  });

describe('the CSRF token is bound to the session', () => {
  let victim: Agent;
  beforeAll(async () => { victim = await loginAs(t.app, 'parent@demo.test'); });

  it("refuses the victim's session with the attacker's CSRF cookie and token, and changes nothing", async () => {
    const before = { ...(await muted('parent@demo.test')), audit: await auditCount() };
    // The attacker's own browser: anonymous (the login form's token) and logged in as themselves.
    const anon = agent(t.app);
    await anon.get('/login');
    const own = await loginAs(t.app, 'student@demo.test');
    for (const attacker of [anon, own]) {
      const res = await forged({ zsession: victim.cookies.zsession, zcsrf: attacker.cookies.zcsrf }, attacker.csrf);
      expect(res.statusCode).toBe(403);
      expect(res.body).toContain('Форма устарела или отправлена не с этого сайта'); // the victim reads Russian
    }
    expect({ ...(await muted('parent@demo.test')), audit: await auditCount() }).toEqual(before);
    // The victim's own page still works: the 403s above were the binding, not a broken form.
    expect((await victim.post('/account/notifications', { notify: 'mark' })).statusCode).toBe(303);
    expect(JSON.parse((await muted('parent@demo.test')).m)).not.toContain('mark');
  });

  it("refuses one session's seed and token in another session of the same user", async () => {
    const laptop = await loginAs(t.app, 'teacher@demo.test');
    const phone = await loginAs(t.app, 'teacher@demo.test');
    const before = await muted('teacher@demo.test');
    const res = await forged({ zsession: phone.cookies.zsession, zcsrf: laptop.cookies.zcsrf }, laptop.csrf);
    expect(res.statusCode).toBe(403);
    expect(await muted('teacher@demo.test')).toEqual(before);
    expect((await forged({ zsession: phone.cookies.zsession, zcsrf: phone.cookies.zcsrf }, phone.csrf)).statusCode).toBe(303);
  });

  it('refuses a token minted before login once the session exists, and a session token after logout', async () => {
    const a = agent(t.app);
    await a.get('/login');
    const anonymous = { seed: a.cookies.zcsrf, token: a.csrf };
    await a.post('/login', { email: 'dean@demo.test', password: 'demo-password' });
    // Same seed kept by force (the login rotates it): the anonymous token still does not pass.
    expect((await forged({ zsession: a.cookies.zsession, zcsrf: anonymous.seed }, anonymous.token)).statusCode).toBe(403);
    await a.get('/account');
    const session = { seed: a.cookies.zcsrf, token: a.csrf };
    expect((await a.post('/logout', {})).statusCode).toBe(303);
    const res = await t.app.inject({
      method: 'POST', url: '/lang', payload: `lang=en&_csrf=${encodeURIComponent(session.token)}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `zcsrf=${session.seed}` },
    });
    expect(res.statusCode).toBe(403);
  });

  it('keeps the login form (anonymous token) and the password change (new session, new token) working', async () => {
    const a = await loginAs(t.app, 'dean-fis@demo.test');
    const changed = await a.post('/account/password', { current: 'demo-password', next: 'a-new-password-2', repeat: 'a-new-password-2' });
    expect(changed.statusCode).toBe(303);
    // The page it leads to carries the token of the session that just started.
    expect((await a.get(String(changed.headers.location))).body).toContain('csrf-token');
    expect((await a.post('/account/notifications', { notify: 'mark' })).statusCode).toBe(303);
  });
});

describe('over https the cookies are __Host- cookies', () => {
  let s: TestApp;
  beforeAll(async () => { s = await makeTestApp({ env: { PUBLIC_URL: 'https://journal.example.edu' } }); });
  afterAll(async () => { await s.close(); });

  it('names the session and CSRF cookies __Host-, Secure, Path=/, without Domain, on login and logout', async () => {
    const a = agent(s.app);
    const page = await a.get('/login');
    const login = await a.post('/login', { email: 'student@demo.test', password: 'demo-password' });
    expect(login.statusCode).toBe(303);
    const home = await a.get('/');
    expect(home.statusCode).toBe(200);
    const logout = await a.post('/logout', {});
    expect(logout.statusCode).toBe(303);
    const all = [...page.cookies, ...login.cookies, ...logout.cookies];
    // The login throttle's device cookie lives on /login only, so it is __Secure- (a __Host- cookie needs Path=/).
    const device = all.filter((c) => c.name === '__Secure-zdevice');
    expect(device).toHaveLength(1);
    expect(device[0]).toMatchObject({ secure: true, path: '/login', httpOnly: true });
    const set = all.filter((c) => c.name !== '__Secure-zdevice');
    expect(set.map((c) => c.name).sort()).toEqual(['__Host-zcsrf', '__Host-zcsrf', '__Host-zcsrf', '__Host-zsession', '__Host-zsession']);
    for (const c of set) {
      expect(c.secure, c.name).toBe(true);
      expect(c.path, c.name).toBe('/');
      expect(c.domain, c.name).toBeUndefined();
      expect(c.httpOnly, c.name).toBe(true);
    }
    // The logout removed the session cookie (with the attributes a browser needs to accept the removal).
    expect(logout.cookies.find((c) => c.name === '__Host-zsession')?.maxAge).toBe(0);
    expect((await a.get('/')).statusCode).toBe(303);
  });

  it('ignores cookies without the prefix: a planted zsession/zcsrf pair is no session and no token', async () => {
    const token = generateSessionToken();
    await createSession(s.store, token, await userId(s.store, 'admin@demo.test'), TEST_NOW);
    const res = await s.app.inject({ url: '/', headers: { cookie: `zsession=${token}` } });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/login');
    // The same token under the real name is a session: the helpers (clientFor) use the app's names.
    expect((await s.app.inject({ url: '/', headers: { cookie: `__Host-zsession=${token}` } })).statusCode).toBe(200);
    const c = await clientFor(s.app, s.store, 'admin@demo.test');
    expect(c.cookie).toMatch(/^__Host-zsession=.+; __Host-zcsrf=/);
    expect((await c.post('/lang', { lang: 'ru' })).statusCode).toBe(303);
    expect((await c.post('/lang', { lang: 'ru' }, { cookie: c.cookie.replaceAll('__Host-', '') })).statusCode).toBe(403);
  });

  it('lets the WebSocket upgrade in with the __Host- session cookie', async () => {
    const w = await makeTestApp({ env: { PUBLIC_URL: 'http://127.0.0.1:1', COOKIE_SECURE: 'true' } });
    try {
      await w.app.listen({ port: 0, host: '127.0.0.1' });
      const url = `http://127.0.0.1:${(w.app.server.address() as AddressInfo).port}`;
      w.app.config.publicUrl = url;
      const token = generateSessionToken();
      await createSession(w.store, token, await userId(w.store, 'student@demo.test'), TEST_NOW);
      const open = (cookie: string) => new Promise<number>((resolve, reject) => {
        const ws = new WebSocket(`${url.replace('http', 'ws')}/live?page=home`, { headers: { origin: url, cookie } });
        ws.on('open', () => { ws.close(); resolve(101); });
        ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
        ws.on('error', reject);
      });
      expect(await open(`__Host-zsession=${token}`)).toBe(101);
      expect(await open(`zsession=${token}`)).toBe(401);
    } finally {
      await w.close();
    }
  });
});
