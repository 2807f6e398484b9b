// The links in e-mail work without logging in and take no CSRF token (issue 15): their signed token is
// the only proof. Every way of bending one (another user, another kind, an altered or missing token, a
// link made with another secret) is refused with 403 on GET and POST alike and changes nothing.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { sql } from 'drizzle-orm';
import { makeTestApp, userId, type TestApp } from './helpers/app';
import { TEST_NOW, TEST_SECRET } from './helpers/constants';
import { CONFIRM_LINK_MS, confirmUrl, unsubscribeUrl } from '../server/mail/tokens';

let t: TestApp;
let student: number;
let parent: number;
beforeAll(async () => {
  t = await makeTestApp();
  student = await userId(t.store, 'student@demo.test');
  parent = await userId(t.store, 'parent@demo.test');
  for (const [id, address] of [[student, 'student@demo.test'], [parent, 'parent@demo.test']] as const) {
    await t.store.run(sql`INSERT INTO mail_recipients (user_id, address, updated_at) VALUES (${id}, ${address}, ${TEST_NOW})`);
  }
});
afterAll(async () => { await t.close(); });

const state = async () => ({
  prefs: await t.store.all(sql`SELECT user_id, kind, mode FROM mail_prefs ORDER BY user_id, kind`),
  recipients: await t.store.all(sql`SELECT user_id, address, confirmed_at FROM mail_recipients ORDER BY user_id`),
  audit: (await t.store.get<{ n: number }>(sql`SELECT count(*) AS n FROM audit_log`))!.n,
});

const tamper = (url: string, edit: (q: URLSearchParams) => void) => {
  const u = new URL(url, 'http://x');
  edit(u.searchParams);
  return `${u.pathname}?${u.searchParams}`;
};
const flip = (s: string) => (s[0] === 'A' ? 'B' : 'A') + s.slice(1);

describe('signed links in e-mail', () => {
  const unsub = () => unsubscribeUrl('', TEST_SECRET, student, ['mark']);
  const conf = (expires = TEST_NOW + CONFIRM_LINK_MS) => confirmUrl('', TEST_SECRET, student, 'student@demo.test', expires);
  const bent = (): [string, string][] => [
    ['unsubscribe: another user', tamper(unsub(), (q) => q.set('u', String(parent)))],
    ['unsubscribe: another kind', tamper(unsub(), (q) => q.set('k', 'absence'))],
    ['unsubscribe: more kinds', tamper(unsub(), (q) => q.set('k', 'mark,absence'))],
    ['unsubscribe: an altered token', tamper(unsub(), (q) => q.set('t', flip(q.get('t')!)))],
    ['unsubscribe: no token', tamper(unsub(), (q) => q.delete('t'))],
    ['unsubscribe: an unknown kind', tamper(unsub(), (q) => q.set('k', 'everything'))],
    ['unsubscribe: made with another secret', unsubscribeUrl('', 'another-secret-another-secret-another-', student, ['mark'])],
    ['confirm: another user', tamper(conf(), (q) => q.set('u', String(parent)))],
    ['confirm: an altered token', tamper(conf(), (q) => q.set('t', flip(q.get('t')!)))],
    ['confirm: no token', tamper(conf(), (q) => q.delete('t'))],
    ['confirm: made for another address', confirmUrl('', TEST_SECRET, student, 'attacker@example.org', TEST_NOW + CONFIRM_LINK_MS)],
    ['confirm: made with another secret', confirmUrl('', 'another-secret-another-secret-another-', student, 'student@demo.test', TEST_NOW + 1)],
    ['confirm: an expired link given a later expiry', tamper(conf(TEST_NOW - 1), (q) => q.set('e', String(TEST_NOW + CONFIRM_LINK_MS)))],
    ['confirm: no expiry', tamper(conf(), (q) => q.delete('e'))],
  ];

  it.each(bent())('refuses %s, on GET and POST, and changes nothing', async (_name, url) => {
    const before = await state();
    for (const method of ['GET', 'POST'] as const) {
      const res = await t.app.inject({ method, url, payload: method === 'POST' ? 'List-Unsubscribe=One-Click' : undefined, headers: method === 'POST' ? { 'content-type': 'application/x-www-form-urlencoded' } : {} });
      expect(res.statusCode).toBe(403);
      expect(res.body).toContain('id="mail-link-bad"');
    }
    expect(await state()).toEqual(before);
  });

  it('a genuine confirmation link stops working after its week: 410, it says so, and changes nothing', async () => {
    const before = await state();
    for (const method of ['GET', 'POST'] as const) {
      const res = await t.app.inject({ method, url: conf(TEST_NOW - 1), headers: { 'accept-language': 'en' } });
      expect(res.statusCode).toBe(410);
      expect(res.body).toContain('has expired');
    }
    const ru = await t.app.inject({ method: 'GET', url: conf(TEST_NOW - 1), headers: { 'accept-language': 'ru' } });
    expect(ru.body).toContain('Срок действия ссылки истёк');
    expect(await state()).toEqual(before);
  });

  it('the genuine links work, and opening them (GET) changes nothing', async () => {
    const before = await state();
    expect((await t.app.inject({ method: 'GET', url: unsub() })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: conf() })).statusCode).toBe(200);
    expect(await state()).toEqual(before);
    expect((await t.app.inject({ method: 'POST', url: unsub(), payload: 'List-Unsubscribe=One-Click', headers: { 'content-type': 'application/x-www-form-urlencoded' } })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'POST', url: conf() })).statusCode).toBe(200);
    const after = await state();
    expect(after.prefs).toEqual([{ user_id: student, kind: 'mark', mode: 'off' }]);
    expect(after.recipients.find((r) => r.user_id === student)?.confirmed_at).toBe(TEST_NOW);
    expect(after.recipients.find((r) => r.user_id === parent)?.confirmed_at).toBeNull();
  });
});
