// Issue 14, item 8: the people list in pages with counts, filters kept by the page links, search that folds
// Cyrillic on both stores; a row's actions go back to the same page, and a repeated one says it did nothing.
import { sql } from 'drizzle-orm';
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { makeTestApp, loginAs as login, userId, type TestApp } from './helpers/app';
import { countOf, groupIdOf } from './helpers/lookup';

let t: TestApp;
beforeAll(async () => { t = await makeTestApp(); });
afterAll(async () => { await t.close(); });

/** Signed in, reading pages in `lang` (the language switch every page offers). */
async function loginAs(app: TestApp['app'], email: string, _password: undefined, lang: 'en' | 'ru') {
  const a = await login(app, email);
  await a.post('/lang', { lang, back: '/' });
  return a;
}

const countText = (body: string) => /<p class="pager-count" role="status">([^<]*)<\/p>/.exec(body)?.[1];
const rowIds = (body: string) => [...body.matchAll(/<tr id="person-(\d+)">/g)].map((m) => Number(m[1]));
const unescape = (s: string) => s.replace(/&amp;/g, '&');

describe('people list in pages', () => {
  it('a university administrator pages through everyone: 40 a page, counted, every person once', async () => {
    const admin = await loginAs(t.app, 'admin@demo.test', undefined, 'en');
    const self = await userId(t.store, 'admin@demo.test');
    const everyone = await countOf(t.store, sql`SELECT count(*) AS n FROM users WHERE id <> ${self}`);
    expect(everyone).toBeGreaterThan(100); // the old list stopped at 100 without a word
    const first = await admin.get('/admin/people');
    const total = new Intl.NumberFormat('en-GB').format(everyone);
    expect(countText(first.body)).toBe(`1–40 of ${total}`);
    expect(rowIds(first.body)).toHaveLength(40);
    const seen = new Set<number>();
    const pages = Math.ceil(everyone / 40);
    for (let p = 1; p <= pages; p++) {
      const res = await admin.get(`/admin/people?page=${p}`);
      for (const id of rowIds(res.body)) seen.add(id);
    }
    expect(seen.size).toBe(everyone);
    const last = await admin.get(`/admin/people?page=${pages}`);
    expect(countText(last.body)).toBe(`${(pages - 1) * 40 + 1}–${total} of ${total}`);
    expect(last.body).not.toContain('rel="next"');
    // A page past the end (the list shrank since the link) shows the last page, not an empty one.
    expect(countText((await admin.get(`/admin/people?page=${pages + 50}`)).body)).toBe(countText(last.body));
  });

  it('page links keep the filters; the count is in the reader’s language', async () => {
    const dean = await loginAs(t.app, 'dean@demo.test', undefined, 'ru');
    const res = await dean.get('/admin/people?role=student&size=20');
    const students = rowIds(res.body);
    expect(students).toHaveLength(20);
    const next = /<a href="([^"]+)" rel="next">/.exec(res.body)![1]!;
    expect(unescape(next)).toBe('/admin/people?role=student&size=20&page=2');
    expect(countText(res.body)).toMatch(/^1–20 из \d[\d\u00a0\u202f ]*$/);
    const page2 = await dean.get(unescape(next));
    expect(rowIds(page2.body).some((id) => students.includes(id))).toBe(false);
    expect(page2.body).toMatch(/aria-current="page" aria-label="Страница 2"/);
    const roles = await t.store.all<{ userId: number }>(sql`SELECT DISTINCT user_id AS "userId" FROM user_roles WHERE role = 'student'`);
    const studentIds = new Set(roles.map((r) => r.userId));
    expect([...students, ...rowIds(page2.body)].every((id) => studentIds.has(id))).toBe(true);
  });

  it('search folds case in Cyrillic and Latin, takes % literally, and pages its matches', async () => {
    const dean = await loginAs(t.app, 'dean@demo.test', undefined, 'ru');
    const id = await userId(t.store, 'student@demo.test');
    for (const q of ['Климович', 'климович', 'КЛИМОВИЧ', 'STUDENT@DEMO']) {
      expect(rowIds((await dean.get(`/admin/people?q=${encodeURIComponent(q)}`)).body), q).toContain(id);
    }
    expect(rowIds((await dean.get(`/admin/people?q=${encodeURIComponent('%')}`)).body)).toHaveLength(0);
    const many = await dean.get(`/admin/people?q=${encodeURIComponent('ов')}&size=20`);
    const n = Number(/из ([\d\u00a0\u202f ]+)$/.exec(countText(many.body)!)![1]!.replace(/\D/g, ''));
    expect(n).toBeGreaterThan(20);
    expect(unescape(/<a href="([^"]+)" rel="next">/.exec(many.body)![1]!)).toBe(`/admin/people?q=${encodeURIComponent('ов')}&size=20&page=2`);
    const none = await dean.get('/admin/people?q=zzzzzz-nobody');
    expect(countText(none.body)).toBe('Ничего не найдено.');
  });

  it('a group filter lists its current students; a dean never counts another faculty’s people', async () => {
    const dean = await loginAs(t.app, 'dean@demo.test', undefined, 'en');
    const g = await groupIdOf(t.store, '1101');
    const inGroup = await countOf(t.store, sql`SELECT count(*) AS n FROM group_memberships WHERE group_id = ${g} AND to_date IS NULL`);
    const res = await dean.get(`/admin/people?group=${g}&size=100`);
    expect(rowIds(res.body)).toHaveLength(inGroup);
    expect(countText(res.body)).toBe(`1–${inGroup} of ${inGroup}`);
    const fis = await loginAs(t.app, 'dean-fis@demo.test', undefined, 'en');
    expect(countText((await fis.get(`/admin/people?group=${g}`)).body)).toBe('Nothing found.');
    // A hostile or mistyped filter falls back to no filter, never a 500.
    for (const q of ['page=-1', 'page=abc', 'size=7', 'group=0x12', 'role=root', 'faculty=99999999999']) {
      expect((await dean.get(`/admin/people?${q}`)).statusCode, q).toBe(200);
    }
  });

  it('an action on a row goes back to the same page; sent again it does nothing and says so', async () => {
    const dean = await loginAs(t.app, 'dean@demo.test', undefined, 'en');
    const list = await dean.get('/admin/people?role=student&page=2');
    const id = rowIds(list.body)[0]!;
    const row = list.body.slice(list.body.indexOf(`<tr id="person-${id}">`));
    const ft = /name="ft" value="([^"]+)"/.exec(row)![1]!;
    const back = unescape(/name="back" value="([^"]+)"/.exec(row)![1]!);
    expect(back).toBe('/admin/people?role=student&page=2');
    const audits = () => countOf(t.store, sql`SELECT count(*) AS n FROM audit_log WHERE action = 'user.disable' AND entity_id = ${id}`);
    const before = await audits();
    const form = { reason: 'Academic leave', ft, back };
    const first = await dean.post(`/admin/people/${id}/disable`, form);
    expect(first.statusCode).toBe(303);
    expect(first.headers.location).toBe('/admin/people?role=student&page=2&done=saved');
    const again = await dean.post(`/admin/people/${id}/disable`, form);
    expect(again.headers.location).toBe('/admin/people?role=student&page=2&done=saved&again=1');
    expect(await audits()).toBe(before + 1);
    expect((await dean.get(String(again.headers.location))).body).toContain('This form had already been sent: nothing was done a second time.');
    const ru = await loginAs(t.app, 'dean@demo.test', undefined, 'ru');
    expect((await ru.get(String(again.headers.location))).body).toContain('Эта форма уже была отправлена: повторно ничего не сделано.');
    // Elsewhere is not a way back: the list is.
    const off = await dean.post(`/admin/people/${id}/enable`, { reason: 'Back from leave', back: '//evil.example/admin/people' });
    expect(off.headers.location).toBe('/admin/people?done=saved');
  });

  it('a reset link made twice from one form is one link', async () => {
    const admin = await loginAs(t.app, 'admin@demo.test', undefined, 'en');
    const id = await userId(t.store, 'teacher2@demo.test');
    const card = await admin.get(`/admin/people/${id}`);
    const form = card.body.slice(card.body.indexOf(`action="/admin/people/${id}/reset"`));
    const ft = /name="ft" value="([^"]+)"/.exec(form)![1]!;
    const links = () => countOf(t.store, sql`SELECT count(*) AS n FROM password_resets WHERE user_id = ${id}`);
    const before = await links();
    const first = await admin.post(`/admin/people/${id}/reset`, { from: 'card', ft });
    expect((await admin.get(String(first.headers.location))).body).toMatch(/\/reset\/[A-Za-z0-9_-]{20,}/);
    const again = await admin.post(`/admin/people/${id}/reset`, { from: 'card', ft });
    expect(again.headers.location).toBe(`${first.headers.location}&again=1`);
    expect(await links()).toBe(before + 1);
  });
});
