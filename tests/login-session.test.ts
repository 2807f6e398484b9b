// Logging in over another user's session (issue 10, "also noticed" B): POST /login ended whatever session
// cookie came in, so planting user A's token in a browser where B logs in logged A out. Now only the
// user's own previous session ends; the browser gets a fresh token in every case (no session fixation).
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { sql } from 'drizzle-orm';
import { makeTestApp, agent, loginAs, type TestApp } from './helpers/app';
import { hashToken } from '../server/auth/session';
import { DEMO_PASSWORD } from './helpers/constants';

let t: TestApp;
beforeAll(async () => { t = await makeTestApp(); });
afterAll(async () => { await t.close(); });

const alive = async (token: string) => !!(await t.store.get(sql`SELECT 1 AS one FROM sessions WHERE id = ${hashToken(token)}`));

describe('a login replaces the session cookie', () => {
  it("leaves user A's session alive when B logs in in a browser holding A's token", async () => {
    const a = await loginAs(t.app, 'teacher@demo.test');
    const planted = agent(t.app);
    planted.cookies.zsession = a.cookies.zsession;
    await planted.get('/'); // the browser now acts as A, and its page carries A's CSRF token
    const res = await planted.post('/login', { email: 'student@demo.test', password: DEMO_PASSWORD });
    expect(res.statusCode).toBe(303);
    expect(planted.cookies.zsession).toBeTruthy();
    expect(planted.cookies.zsession).not.toBe(a.cookies.zsession);
    expect(await alive(a.cookies.zsession)).toBe(true);
    expect((await a.get('/account')).statusCode).toBe(200); // A is still signed in on A's own device
    const home = await planted.get('/account');
    expect(home.statusCode).toBe(200);
    expect(home.body).toContain('student@demo.test'); // and this browser is B now
  });

  it("ends the user's own previous session on a re-login, with a new token", async () => {
    const a = await loginAs(t.app, 'parent@demo.test');
    const first = a.cookies.zsession;
    expect((await a.post('/login', { email: 'parent@demo.test', password: DEMO_PASSWORD })).statusCode).toBe(303);
    expect(a.cookies.zsession).not.toBe(first);
    expect(await alive(first)).toBe(false);
    expect(await alive(a.cookies.zsession)).toBe(true);
  });
});
