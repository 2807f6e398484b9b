import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { sql } from 'drizzle-orm';
import { makeTestApp, agent, loginAs, userId, type TestApp } from './helpers/app';
import { hashToken } from '../server/auth/session';

let t: TestApp;
beforeAll(async () => { t = await makeTestApp({ loginLimits: { windowMs: 60_000, perAccount: 3, perAddress: 1000 } }); });
afterAll(async () => { await t.close(); });

describe('login and logout', () => {
  it('shows the login page with the demo accounts', async () => {
    const a = agent(t.app);
    const res = await a.get('/login');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('teacher@demo.test');
    expect(res.headers['content-security-policy']).toMatch(/script-src 'self' 'nonce-/);
  });

  it('sends an anonymous visitor to the login page', async () => {
    const res = await agent(t.app).get('/');
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/login');
  });

  it('logs in with an HttpOnly cookie whose token is stored only as a hash', async () => {
    const a = agent(t.app);
    await a.get('/login');
    const res = await a.post('/login', { email: 'Teacher@Demo.test', password: 'demo-password' });
    expect(res.statusCode).toBe(303);
    const cookie = res.cookies.find((c) => c.name === 'zsession')!;
    expect(cookie.httpOnly).toBe(true);
    expect(cookie.sameSite).toBe('Lax');
    const stored = await t.store.get(sql`SELECT id FROM sessions WHERE id = ${hashToken(cookie.value)}`);
    expect(stored).toBeTruthy();
    expect(await t.store.get(sql`SELECT 1 AS one FROM sessions WHERE id = ${cookie.value}`)).toBeUndefined();
  });

  it('gives one generic message for an unknown account and a wrong password, and audits both', async () => {
    const before = (await t.store.get<{ n: number }>(sql`SELECT count(*) AS n FROM audit_log WHERE action = 'login.failed'`))!.n;
    const a = agent(t.app);
    await a.get('/login');
    const unknown = await a.post('/login', { email: 'nobody@demo.test', password: 'demo-password' });
    const wrong = await a.post('/login', { email: 'admin@demo.test', password: 'wrong-password' });
    expect(unknown.statusCode).toBe(401);
    expect(wrong.statusCode).toBe(401);
    const msg = (b: string) => /role="alert"[^>]*>([^<]+)</.exec(b)?.[1];
    expect(msg(unknown.body)).toBe(msg(wrong.body));
    expect(unknown.cookies.find((c) => c.name === 'zsession')).toBeUndefined();
    const after = (await t.store.get<{ n: number }>(sql`SELECT count(*) AS n FROM audit_log WHERE action = 'login.failed'`))!.n;
    expect(after).toBe(before + 2);
  });

  it('rate-limits one account after repeated failures, even with the right password', async () => {
    const a = agent(t.app);
    await a.get('/login');
    for (let i = 0; i < 3; i++) expect((await a.post('/login', { email: 'dean-fis@demo.test', password: 'nope-nope' })).statusCode).toBe(401);
    const blocked = await a.post('/login', { email: 'dean-fis@demo.test', password: 'demo-password' });
    expect(blocked.statusCode).toBe(429);
    expect(blocked.cookies.find((c) => c.name === 'zsession')).toBeUndefined();
  });

  it('rotates the session on login and refuses the old token after logout', async () => {
    const a = await loginAs(t.app, 'student@demo.test');
    const first = a.cookies.zsession;
    await a.post('/login', { email: 'student@demo.test', password: 'demo-password' });
    await a.get('/'); // the CSRF seed rotates at login: pick up the new token as a browser would
    expect(a.cookies.zsession).not.toBe(first);
    expect(await t.store.get(sql`SELECT 1 AS one FROM sessions WHERE id = ${hashToken(first)}`)).toBeUndefined();
    const token = a.cookies.zsession;
    const out = await a.post('/logout', {});
    expect(out.statusCode).toBe(303);
    const reuse = await t.app.inject({ method: 'GET', url: '/', headers: { cookie: `zsession=${token}` } });
    expect(reuse.statusCode).toBe(303);
    expect(reuse.headers.location).toBe('/login');
  });

  it('does not redirect off-site after login', async () => {
    const a = agent(t.app);
    await a.get('/login');
    const res = await a.post('/login', { email: 'parent@demo.test', password: 'demo-password', next: '//evil.example/' });
    expect(res.headers.location).toBe('/');
  });

  it('refuses a disabled account', async () => {
    await t.store.run(sql`UPDATE users SET disabled = ${true} WHERE email = 'teacher2@demo.test'`);
    const a = agent(t.app);
    await a.get('/login');
    expect((await a.post('/login', { email: 'teacher2@demo.test', password: 'demo-password' })).statusCode).toBe(401);
    await t.store.run(sql`UPDATE users SET disabled = ${false} WHERE email = 'teacher2@demo.test'`);
  });
});

describe('CSRF protection', () => {
  it('refuses a state-changing request without the token, and changes nothing', async () => {
    const a = await loginAs(t.app, 'teacher@demo.test');
    const res = await t.app.inject({
      method: 'POST', url: '/lang', payload: 'lang=en',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `zsession=${a.cookies.zsession}; zcsrf=${a.cookies.zcsrf}` },
    });
    expect(res.statusCode).toBe(403);
    const lang = (await t.store.get<{ lang: string }>(sql`SELECT lang FROM users WHERE id = ${await userId(t.store, 'teacher@demo.test')}`))!.lang;
    expect(lang).toBe('ru');
  });

  it('refuses a token minted for another browser', async () => {
    const a = await loginAs(t.app, 'teacher@demo.test');
    const b = await loginAs(t.app, 'student@demo.test');
    const res = await t.app.inject({
      method: 'POST', url: '/lang', payload: `lang=en&_csrf=${encodeURIComponent(b.csrf)}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `zsession=${a.cookies.zsession}; zcsrf=${a.cookies.zcsrf}` },
    });
    expect(res.statusCode).toBe(403);
  });

  it('refuses a cross-site form post even with a token', async () => {
    const a = await loginAs(t.app, 'teacher@demo.test');
    const res = await a.post('/lang', { lang: 'en' }, { 'sec-fetch-site': 'cross-site' });
    expect(res.statusCode).toBe(403);
  });

  it('accepts the token in the header (htmx) and in the form', async () => {
    const a = await loginAs(t.app, 'teacher-parent@demo.test');
    expect((await a.post('/lang', { lang: 'en' })).statusCode).toBe(303);
    const viaHeader = await t.app.inject({
      method: 'POST', url: '/lang', payload: 'lang=ru',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-csrf-token': a.csrf, cookie: `zsession=${a.cookies.zsession}; zcsrf=${a.cookies.zcsrf}` },
    });
    expect(viaHeader.statusCode).toBe(303);
  });
});

describe('language', () => {
  it('switches the interface language and remembers it for the user', async () => {
    const a = await loginAs(t.app, 'admin@demo.test');
    const ru = await a.get('/');
    expect(ru.body).toContain('lang="ru"');
    await a.post('/lang', { lang: 'en', back: '/' });
    const en = await a.get('/');
    expect(en.body).toContain('<html lang="en">');
    expect(en.body).toContain('Faculties and groups');
    await a.post('/lang', { lang: 'ru', back: '/' });
    expect((await a.get('/')).body).toContain('Факультеты и группы');
  });

  it('uses Accept-Language before login', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/login', headers: { 'accept-language': 'ru-RU,ru;q=0.9' } });
    expect(res.body).toContain('Вход');
  });
});

describe('password change', () => {
  it('ends every session of the account, keeps the current device signed in, and validates input', async () => {
    const phone = await loginAs(t.app, 'teacher2@demo.test');
    const laptop = await loginAs(t.app, 'teacher2@demo.test');
    const wrong = await laptop.post('/account/password', { current: 'nope', next: 'a-new-password-1', repeat: 'a-new-password-1' });
    expect(wrong.statusCode).toBe(422);
    const short = await laptop.post('/account/password', { current: 'demo-password', next: 'short', repeat: 'short' });
    expect(short.statusCode).toBe(422);
    expect((await phone.get('/')).statusCode).toBe(200);

    const ok = await laptop.post('/account/password', { current: 'demo-password', next: 'a-new-password-1', repeat: 'a-new-password-1' });
    expect(ok.statusCode).toBe(303);
    expect((await phone.get('/')).statusCode).toBe(303); // the other device is out
    expect((await laptop.get('/')).statusCode).toBe(200); // this one got a fresh session
    await expect(loginAs(t.app, 'teacher2@demo.test')).rejects.toThrow();
    await loginAs(t.app, 'teacher2@demo.test', 'a-new-password-1');
  });
});

describe('notification settings', () => {
  it('stores which events notify, and refuses an unknown kind without changing anything', async () => {
    const a = await loginAs(t.app, 'parent@demo.test');
    const id = await userId(t.store, 'parent@demo.test');
    const muted = async () => JSON.parse((await t.store.get<{ m: string }>(sql`SELECT notify_muted AS m FROM users WHERE id = ${id}`))!.m);
    expect((await a.post('/account/notifications', { notify: 'absence' })).statusCode).toBe(303);
    expect(await muted()).toEqual(['mark', 'admission', 'dispute', 'mobility']);
    expect((await a.post('/account/notifications', { notify: 'spam' })).statusCode).toBe(422);
    expect(await muted()).toEqual(['mark', 'admission', 'dispute', 'mobility']);
    const page = await a.get('/account');
    expect(page.body).toMatch(/value="absence" checked/);
    expect(page.body).not.toMatch(/value="mark" checked/);
  });
});

describe('redirect targets', () => {
  it('stay on this site and are safe to put in a Location header', async () => {
    const { safeRedirect: safeNext } = await import('../server/auth/safe-redirect');
    expect(safeNext('/courses/1?group=2')).toBe('/courses/1?group=2');
    expect(safeNext('//evil.example/')).toBe('/');
    expect(safeNext('/\\evil.example')).toBe('/');
    expect(safeNext('https://evil.example/')).toBe('/');
    expect(safeNext('/Ā')).toBe('/%C4%80');
    expect(safeNext('/a\r\nSet-Cookie: x=1')).not.toMatch(/[\r\n]/);
    const a = await loginAs(t.app, 'student@demo.test');
    expect((await a.post('/lang', { lang: 'ru', back: '/Ā' })).statusCode).toBe(303);
  });
});
