// Issue 14, item 2: every form whose repeat would do its thing again (create, add, remove, link, move)
// carries a one-time token; sent twice with it (a reload, the back button, a double click), the second
// submission writes nothing, lands on the first outcome and says so in the user's language.
import { sql } from 'drizzle-orm';
import { randomBytes } from 'node:crypto';
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { loginAs, makeTestApp, type TestApp } from './helpers/app';
import { clientFor } from './helpers/session';
import { MATRIX, emailOf, loadFixtures, someAllowedUser, type Fixtures, type User } from './helpers/routes';
import { countOf } from './helpers/lookup';

let t: TestApp;
let f: Fixtures;
beforeAll(async () => {
  t = await makeTestApp();
  f = await loadFixtures(t.store);
});
afterAll(async () => { await t.close(); });

const REPEATED = {
  ru: 'Эта форма уже была отправлена: повторно ничего не сделано.',
  en: 'This form had already been sent: nothing was done a second time.',
};

/** The POST routes whose forms gained a token, and the page each form is on (found from the action). */
const FORMS: { route: string; page: (action: string) => string }[] = [
  { route: 'POST /admin/faculties', page: () => '/admin/structure' },
  { route: 'POST /admin/departments', page: () => '/admin/structure' },
  { route: 'POST /admin/groups', page: () => '/admin/structure' },
  { route: 'POST /admin/subjects', page: () => '/admin/courses' },
  { route: 'POST /admin/courses', page: () => '/admin/courses' },
  { route: 'POST /admin/courses/:courseId/teachers', page: (a) => a.replace(/\/teachers$/, '') },
  { route: 'POST /admin/courses/:courseId/groups', page: (a) => a.replace(/\/groups$/, '') },
  { route: 'POST /admin/courses/:courseId/teachers/:teacherId/remove', page: (a) => a.replace(/\/teachers\/\d+\/remove$/, '') },
  { route: 'POST /admin/people', page: () => '/admin/people/new' },
  { route: 'POST /admin/people/:userId/roles', page: (a) => a.replace(/\/roles$/, '') },
  { route: 'POST /admin/people/:userId/roles/:roleId/revoke', page: (a) => a.replace(/\/roles\/\d+\/revoke$/, '') },
  { route: 'POST /admin/people/:userId/group', page: (a) => a.replace(/\/group$/, '') },
  { route: 'POST /admin/people/:userId/guardians', page: (a) => a.replace(/\/guardians$/, '') },
  { route: 'POST /admin/people/:userId/disable', page: (a) => a.replace(/\/disable$/, '') },
  { route: 'POST /admin/people/:userId/reset', page: (a) => a.replace(/\/reset$/, '') },
  { route: 'POST /courses/:courseId/lessons', page: (a) => a.replace(/\/lessons$/, '') },
  { route: 'POST /students/:studentId/guardians/:linkId', page: (a) => a.replace(/\/\d+$/, '') },
  { route: 'POST /students/:studentId/guardians/:linkId/revoke', page: (a) => a.replace(/\/\d+\/revoke$/, '') },
];

const audits = () => countOf(t.store, sql`SELECT count(*) AS n FROM audit_log`);
const langOf = async (u: User) => (await t.store.get<{ lang: 'ru' | 'en' }>(sql`SELECT lang FROM users WHERE email = ${emailOf(u)}`))!.lang;

describe('a form sent twice acts once', () => {
  it.each(FORMS)('$route', async ({ route, page }) => {
    const c = MATRIX[route]![0]!;
    const u = someAllowedUser(c);
    const client = await clientFor(t.app, t.store, emailOf(u));
    const action = await c.url(f);
    // The form on its page carries a token.
    const html = (await client.get(page(action))).body;
    const at = html.indexOf(`method="post" action="${action}"`);
    expect(at, `no form for ${action} on ${page(action)}`).toBeGreaterThan(-1);
    const form = html.slice(at);
    expect(form.slice(0, form.indexOf('</form>'))).toMatch(/name="ft" value="[A-Za-z0-9_-]{16,64}"/);
    const body = { ...(c.form ? await c.form(f) : {}), ft: randomBytes(18).toString('base64url') };
    const first = await client.post(action, body);
    expect(first.statusCode, first.body.slice(0, 400)).toBe(303);
    const before = await audits();
    const again = await client.post(action, body);
    expect(again.statusCode).toBe(303);
    const where = String(first.headers.location);
    expect(again.headers.location).toBe(`${where}${where.includes('?') ? '&' : '?'}again=1`);
    expect(await audits()).toBe(before); // nothing written the second time
    const landed = await client.get(String(again.headers.location));
    expect(landed.statusCode).toBe(200);
    expect(landed.body).toContain(REPEATED[await langOf(u)]);
  });

  it('POST /guardian/link: a parent who reloads after linking sees the child, not "this code is not valid"', async () => {
    const student = await loginAs(t.app, 'student@demo.test'); // keeps cookies: the one-time code travels in one
    const codes = await student.post(`/students/${f.studentAtDemo}/guardians/codes`, { scope: 'attendance', ft: randomBytes(18).toString('base64url') });
    const code = /([A-Z0-9]{5}-[A-Z0-9]{5})/.exec((await student.get(String(codes.headers.location))).body)![1]!;
    const email = `aunt-${randomBytes(4).toString('hex')}@example.test`;
    await t.store.run(sql`INSERT INTO users (email, surname, given_name, lang, updated_by, updated_at) VALUES (${email}, 'Тётя', 'Анна', 'ru', 1, 0)`);
    const aunt = await clientFor(t.app, t.store, email);
    expect((await aunt.get('/guardian/link')).body).toMatch(/action="\/guardian\/link"[^>]*>[^]*?name="ft"/);
    const body = { code, ft: randomBytes(18).toString('base64url') };
    const first = await aunt.post('/guardian/link', body);
    expect(first.headers.location).toBe(`/students/${f.studentAtDemo}`);
    const links = () => countOf(t.store, sql`SELECT count(*) AS n FROM guardian_links WHERE student_id = ${f.studentAtDemo}`);
    const n = await links();
    const again = await aunt.post('/guardian/link', body);
    expect(again.headers.location).toBe(`/students/${f.studentAtDemo}?again=1`);
    expect(await links()).toBe(n);
    expect((await aunt.get(String(again.headers.location))).body).toContain(REPEATED.ru);
    // Without the token (an old page), the spent code is refused, with the reason.
    expect((await aunt.post('/guardian/link', { code })).statusCode).toBe(422);
  });

  it('a refused submission spends nothing: corrected and sent with the same token, it acts', async () => {
    const dean = await clientFor(t.app, t.store, 'dean@demo.test');
    const ft = randomBytes(18).toString('base64url');
    const form = { facultyId: 1, name: '', year: 1, language: 'ru', programme: 'degree', ft };
    const refused = await dean.post('/admin/groups', form);
    expect(refused.statusCode).toBe(422);
    const groups = () => countOf(t.store, sql`SELECT count(*) AS n FROM groups`);
    const n = await groups();
    const ok = await dean.post('/admin/groups', { ...form, name: `T${randomBytes(3).toString('hex')}` });
    expect(ok.statusCode).toBe(303);
    expect(ok.headers.location).not.toContain('again=1');
    expect(await groups()).toBe(n + 1);
  });
});
