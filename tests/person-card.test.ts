import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { sql, type SQLWrapper } from 'drizzle-orm';
import { makeTestApp, loginAs, agent, userId, type TestApp } from './helpers/app';
import { courseOf, studentOfGroup, groupIdOf, countOf } from './helpers/lookup';

let t: TestApp;
beforeAll(async () => { t = await makeTestApp(); });
afterAll(async () => { await t.close(); });

const get = async <T>(query: SQLWrapper) => (await t.store.get<T>(query)) as T;
const groupId = (name: string) => groupIdOf(t.store, name);
const count = (query: SQLWrapper) => countOf(t.store, query);
const linkIn = (body: string) => /(\/reset\/[A-Za-z0-9_-]{20,64})/.exec(body)?.[1];

async function setPassword(link: string, password: string) {
  const a = agent(t.app);
  await a.get(link);
  expect((await a.post(link, { next: password, repeat: password })).statusCode).toBe(303);
}

describe("the dean's office manages people", () => {
  it('creates a student in a group of its faculty; the student sets a password through the one-time link and sees their courses', async () => {
    const dean = await loginAs(t.app, 'dean@demo.test');
    expect((await dean.get('/admin/people/new')).body).toContain('id="new-person"');
    const sent = await dean.post('/admin/people', { email: 'Novikova.M@Students.demo.test', surname: 'Новикова', givenName: 'Мария', patronymic: 'Игоревна', role: 'student', groupId: await groupId('1101'), fromDate: '2026-11-02', lang: 'ru' });
    expect(sent.statusCode).toBe(303);
    const res = await dean.get(String(sent.headers.location));
    const id = await userId(t.store, 'novikova.m@students.demo.test');
    expect(res.body).toContain(`id="person-${id}"`);
    expect(res.body).toContain('Учётная запись создана');
    const m = await get<{ name: string; fromDate: string }>(sql`SELECT g.name, m.from_date AS "fromDate" FROM group_memberships m JOIN groups g ON g.id = m.group_id WHERE m.student_id = ${id} AND m.to_date IS NULL`);
    expect(m).toEqual({ name: '1101', fromDate: '2026-11-02' });
    expect(await count(sql`SELECT count(*) AS n FROM audit_log WHERE (action = 'user.create' AND entity_id = ${id}) OR (action = 'membership.enrol' AND student_id = ${id})`)).toBe(2);
    // The teacher's journal of the group lists her from her first day.
    const teacher = await loginAs(t.app, 'teacher@demo.test');
    expect((await teacher.get(`/courses/${await courseOf(t.store, 'Human Anatomy', '1101')}`)).body).toContain('Новикова');
    await setPassword(linkIn(res.body)!, 'novikova-password-1');
    const student = await loginAs(t.app, 'novikova.m@students.demo.test', 'novikova-password-1');
    expect((await student.get('/')).body).toContain('Моя успеваемость');
  });

  it('refuses, with a message and no change, a taken e-mail, a bad e-mail, a group of another faculty and an administrator grant', async () => {
    const dean = await loginAs(t.app, 'dean@demo.test');
    const users = await count(sql`SELECT count(*) AS n FROM users`);
    const base = { surname: 'Петров', givenName: 'Пётр', role: 'student', groupId: await groupId('1101'), fromDate: '2026-11-02', lang: 'ru' };
    const taken = await dean.post('/admin/people', { ...base, email: 'TEACHER@demo.test' });
    expect(taken.statusCode).toBe(422);
    expect(taken.body).toContain('уже занят');
    expect(taken.body).toContain('value="Петров"'); // what was typed stays in the form
    const bad = await dean.post('/admin/people', { ...base, email: 'not-an-email' });
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toContain('Проверьте поля: email');
    expect((await dean.post('/admin/people', { ...base, email: 'p.petrov@students.demo.test', groupId: await groupId('E101') })).statusCode).toBe(403);
    expect((await dean.post('/admin/people', { ...base, email: 'p.petrov@demo.test', role: 'admin', facultyId: '' })).statusCode).toBe(403);
    // Control characters in a name (as the roster import refuses them too): a NUL, a right-to-left override.
    for (const surname of ['Пет\u0000ров', 'Петров\u202Eвортеп']) {
      const ctl = await dean.post('/admin/people', { ...base, surname, email: 'p.petrov.ctl@students.demo.test' });
      expect(ctl.statusCode).toBe(422);
      expect(ctl.body).toContain('Проверьте поля: surname');
    }
    const ctlPatronymic = await dean.post('/admin/people', { ...base, patronymic: 'Пет\u0007рович', email: 'p.petrov.ctl@students.demo.test' });
    expect(ctlPatronymic.body).toContain('Проверьте поля: patronymic');
    expect(await count(sql`SELECT count(*) AS n FROM users`)).toBe(users);
    const fis = await loginAs(t.app, 'dean-fis@demo.test');
    expect((await fis.get(`/admin/people/${await userId(t.store, 'student@demo.test')}`)).statusCode).toBe(404);
    const english = await loginAs(t.app, 'dean-fis@demo.test');
    await english.post('/lang', { lang: 'en', back: '/' });
    const en = await english.post('/admin/people', { ...base, email: 'x', groupId: await groupId('E101') });
    expect(en.body).toContain('Check: email');
    await english.post('/lang', { lang: 'ru', back: '/' });
  });

  it('edits details with a version check: a stale form is refused and changes nothing', async () => {
    const dean = await loginAs(t.app, 'dean@demo.test');
    const id = await studentOfGroup(t.store, '1102', 3);
    const u = await get<{ email: string; surname: string; givenName: string; version: number }>(sql`SELECT email, surname, given_name AS "givenName", version FROM users WHERE id = ${id}`);
    const sent = await dean.post(`/admin/people/${id}`, { email: u.email, surname: u.surname, givenName: u.givenName, recordBook: '20261234', country: 'Беларусь', lang: 'ru', version: u.version });
    expect(sent.statusCode).toBe(303);
    const ok = await dean.get(String(sent.headers.location));
    expect(ok.body).toContain('value="20261234"');
    const stale = await dean.post(`/admin/people/${id}`, { email: u.email, surname: 'Чужая', givenName: u.givenName, lang: 'ru', version: u.version });
    expect(stale.statusCode).toBe(409);
    expect(await get<{ surname: string; rb: string }>(sql`SELECT surname, record_book AS rb FROM users WHERE id = ${id}`)).toEqual({ surname: u.surname, rb: '20261234' });
    // Disabling from the card answers with the card, marked disabled.
    const offSent = await dean.post(`/admin/people/${id}/disable`, { reason: 'Академический отпуск', from: 'card' });
    expect(offSent.headers.location).toBe(`/admin/people/${id}?done=saved`);
    const off = await dean.get(String(offSent.headers.location));
    expect(off.body).toMatch(new RegExp(`id="person-${id}"[^<]*<span class="badge bad">отключён`));
    expect((await dean.get(String((await dean.post(`/admin/people/${id}/enable`, { reason: 'Вышел из отпуска', from: 'card' })).headers.location))).body).toContain('>Отключить</button>');
  });

  it('transfers a student between groups with a date: history kept, the new journal lists them, an earlier date is refused', async () => {
    const dean = await loginAs(t.app, 'dean@demo.test');
    const id = await studentOfGroup(t.store, '1101', 4);
    const early = await dean.post(`/admin/people/${id}/group`, { groupId: await groupId('1102'), fromDate: '2020-01-01', reason: 'перевод' });
    expect(early.statusCode).toBe(422);
    expect(early.body).toContain('должно начинаться позже');
    expect((await dean.post(`/admin/people/${id}/group`, { groupId: await groupId('E101'), fromDate: '2026-11-10', reason: 'перевод' })).statusCode).toBe(403);
    const moved = await dean.post(`/admin/people/${id}/group`, { groupId: await groupId('1102'), fromDate: '2026-11-10', reason: 'Перевод по заявлению' });
    expect(moved.statusCode).toBe(303);
    const res = await dean.get(String(moved.headers.location));
    expect(res.body).toMatch(/id="memberships"[\s\S]*1101[\s\S]*1102/);
    const rows = await t.store.all<{ name: string; f: string; t: string | null }>(sql`SELECT g.name, m.from_date AS f, m.to_date AS t FROM group_memberships m JOIN groups g ON g.id = m.group_id WHERE m.student_id = ${id} ORDER BY m.from_date`);
    expect(rows.slice(-2).map((r) => [r.name, r.t])).toEqual([['1101', '2026-11-09'], ['1102', null]]);
    expect(await count(sql`SELECT count(*) AS n FROM audit_log WHERE action = 'membership.transfer' AND student_id = ${id} AND reason = 'Перевод по заявлению'`)).toBe(1);
  });

  it('records a guardian from a written consent: a new account gets a one-time link and then sees the child', async () => {
    const dean = await loginAs(t.app, 'dean@demo.test');
    const child = await studentOfGroup(t.store, '1103', 1);
    const noNote = await dean.post(`/admin/people/${child}/guardians`, { email: 'mother@example.test', surname: 'Мать', givenName: 'Ольга', scope: 'attendance', consentNote: '' });
    expect(noNote.statusCode).toBe(422);
    const res = await dean.post(`/admin/people/${child}/guardians`, { email: 'mother@example.test', surname: 'Мать', givenName: 'Ольга', scope: 'attendance', consentNote: 'Письменное согласие от 20.11.2026 № 114' });
    expect(res.statusCode).toBe(303);
    const link = await t.store.get(sql`SELECT consent, consent_note AS note, scope FROM guardian_links WHERE student_id = ${child} AND guardian_id = (SELECT id FROM users WHERE email = 'mother@example.test')`);
    expect(link).toEqual({ consent: 'dean_recorded', note: 'Письменное согласие от 20.11.2026 № 114', scope: 'attendance' });
    await setPassword(linkIn((await dean.get(String(res.headers.location))).body)!, 'mother-password-1');
    const mother = await loginAs(t.app, 'mother@example.test', 'mother-password-1');
    expect((await mother.get('/')).body).toContain(`id="child-${child}"`);
    // The dean's office now reaches the parent through the child, and sees the child on her card.
    expect((await dean.get(`/admin/people/${await userId(t.store, 'mother@example.test')}`)).body).toContain(`href="/students/${child}"`);
  });

  it('grants and withdraws a teacher role inside its faculty with a reason; nobody edits their own card', async () => {
    const admin = await loginAs(t.app, 'admin@demo.test');
    const id = await studentOfGroup(t.store, '1201', 0);
    const grant = await admin.post(`/admin/people/${id}/roles`, { role: 'teacher', departmentId: 2 });
    expect(grant.statusCode).toBe(303);
    const roleId = (await get<{ id: number }>(sql`SELECT id FROM user_roles WHERE user_id = ${id} AND role = 'teacher'`)).id;
    expect((await admin.post(`/admin/people/${id}/roles`, { role: 'teacher', departmentId: 2 })).statusCode).toBe(422); // twice
    expect((await admin.post(`/admin/people/${id}/roles/${roleId}/revoke`, { reason: '' })).statusCode).toBe(422);
    expect((await admin.post(`/admin/people/${id}/roles/${roleId}/revoke`, { reason: 'Окончание совместительства' })).statusCode).toBe(303);
    expect(await count(sql`SELECT count(*) AS n FROM user_roles WHERE user_id = ${id} AND role = 'teacher'`)).toBe(0);
    expect(await count(sql`SELECT count(*) AS n FROM audit_log WHERE action IN ('role.grant', 'role.revoke') AND entity_id = ${roleId}`)).toBe(2);
    const studentRole = (await get<{ id: number }>(sql`SELECT id FROM user_roles WHERE user_id = ${id} AND role = 'student'`)).id;
    expect((await admin.post(`/admin/people/${id}/roles/${studentRole}/revoke`, { reason: 'проверка' })).statusCode).toBe(422); // still in a group
    expect((await admin.get(`/admin/people/${await userId(t.store, 'admin@demo.test')}`)).statusCode).toBe(404);
    const dean = await loginAs(t.app, 'dean@demo.test');
    expect((await dean.post(`/admin/people/${id}/roles`, { role: 'admin', facultyId: 1 })).statusCode).toBe(403);
  });
});
