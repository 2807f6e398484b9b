import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { sql, type SQLWrapper } from 'drizzle-orm';
import { makeTestApp, loginAs, agent, userId, type Agent, type TestApp } from './helpers/app';
import { studentOfGroup, groupIdOf, countOf } from './helpers/lookup';

// Issue 10.1: a dean's office recorded any existing account (the university administrator's too) as
// the "guardian" of one of its students; the link put that account in the dean's scope, and the card's
// one-time password link then handed the account over. Each step of that attack is asserted to fail.

let t: TestApp;
beforeAll(async () => { t = await makeTestApp(); });
afterAll(async () => { await t.close(); });

const count = (query: SQLWrapper) => countOf(t.store, query);
const emailOf = async (id: number) => (await t.store.get<{ email: string }>(sql`SELECT email FROM users WHERE id = ${id}`))!.email;
const linkIn = (body: string) => /(\/reset\/[A-Za-z0-9_-]{20,64})/.exec(body)?.[1];
const account = async (id: number) => (await t.store.get<{ hash: string; disabled: number; version: number }>(sql`SELECT password_hash AS hash, disabled, version FROM users WHERE id = ${id}`))!;
const roles = async (id: number) => (await t.store.all<{ role: string; f: number | null }>(sql`SELECT role, faculty_id AS f FROM user_roles WHERE user_id = ${id} ORDER BY id`)).map((r) => `${r.role}:${r.f ?? ''}`);
const liveLinks = (guardian: number) => count(sql`SELECT count(*) AS n FROM guardian_links WHERE guardian_id = ${guardian} AND revoked_at IS NULL`);
const resets = (id: number) => count(sql`SELECT count(*) AS n FROM password_resets WHERE user_id = ${id}`);

/** Everything a dean's office can do to a card, each refused without a trace on the account. */
async function assertOutOfReach(dean: Agent, target: number, status = 404) {
  const before = { account: await account(target), roles: await roles(target), resets: await resets(target) };
  expect((await dean.get(`/admin/people/${target}`)).statusCode).toBe(status === 403 ? 200 : 404);
  expect((await dean.post(`/admin/people/${target}/reset`, { from: 'card' })).statusCode).toBe(status);
  expect((await dean.post(`/admin/people/${target}/disable`, { reason: 'захват', from: 'card' })).statusCode).toBe(status);
  const u = (await t.store.get<Record<string, string | number>>(sql`SELECT email, surname, given_name AS "givenName", version FROM users WHERE id = ${target}`))!;
  expect((await dean.post(`/admin/people/${target}`, { ...u, email: 'attacker@example.test', lang: 'ru' })).statusCode).toBe(status);
  expect((await dean.post(`/admin/people/${target}/roles`, { role: 'teacher', departmentId: 1 })).statusCode).toBe(status);
  expect({ account: await account(target), roles: await roles(target), resets: await resets(target) }).toEqual(before);
  expect(await count(sql`SELECT count(*) AS n FROM users WHERE email = ${'attacker@example.test'}`)).toBe(0);
}

describe('issue 10.1: no account takeover through a guardian link', () => {
  for (const [deanEmail, group, victimEmail] of [
    ['dean@demo.test', '1101', 'admin@demo.test'], ['dean-fis@demo.test', 'E101', 'admin@demo.test'],
    ['dean@demo.test', '1102', 'dean-fis@demo.test'], ['dean-fis@demo.test', 'E102', 'dean@demo.test'],
  ] as const) {
    it(`${deanEmail} cannot record ${victimEmail} as a guardian of a ${group} student, nor then reach or reset it`, async () => {
      const dean = await loginAs(t.app, deanEmail);
      const victim = await userId(t.store, victimEmail);
      const child = await studentOfGroup(t.store, group, 2);
      const hash = (await account(victim)).hash;
      expect((await dean.get(`/admin/people/${victim}`)).statusCode).toBe(404);

      const res = await dean.post(`/admin/people/${child}/guardians`, { email: victimEmail, scope: 'attendance', consentNote: 'Письменное согласие № 1' });
      expect(res.statusCode).toBe(422);
      // dean-fis reads English, dean@ Russian: the refusal is in the reader's language.
      expect(res.body).toContain(deanEmail === 'dean@demo.test' ? 'учётная запись администратора' : 'an administrator’s account');
      expect(await liveLinks(victim)).toBe(0);
      expect(await roles(victim)).not.toContain('guardian:');

      expect((await dean.get(`/admin/people/${victim}`)).statusCode).toBe(404);
      const reset = await dean.post(`/admin/people/${victim}/reset`, { from: 'card' });
      expect(reset.statusCode).toBe(404);
      expect(linkIn(reset.body)).toBeUndefined();
      expect(await resets(victim)).toBe(0);
      expect((await account(victim)).hash).toBe(hash);
      await loginAs(t.app, victimEmail); // the demo password still works
    });
  }

  it('a guardian link to an administrator that exists anyway (older data) gives a dean nothing over the account', async () => {
    const admin = await userId(t.store, 'admin@demo.test');
    const deanFis = await userId(t.store, 'dean-fis@demo.test');
    const ins = async (guardian: number, student: number) => (await t.store.tx((tx) => tx.get<{ id: number }>(sql`INSERT INTO guardian_links (guardian_id, student_id, scope, consent, consented_at)
      VALUES (${guardian}, ${student}, 'attendance', 'dean_recorded', 0) RETURNING id`)))!.id;
    const links = [await ins(admin, await studentOfGroup(t.store, '1103')), await ins(deanFis, await studentOfGroup(t.store, '1103', 1))];
    try {
      const dean = await loginAs(t.app, 'dean@demo.test');
      await assertOutOfReach(dean, admin);
      await assertOutOfReach(dean, deanFis);
      const list = (await dean.get('/admin/people?q=Гончаренко')).body;
      expect(list).not.toContain(`id="person-${admin}"`);
      expect((await dean.get('/admin/people?q=Рябцева')).body).not.toContain(`id="person-${deanFis}"`);
    } finally {
      await t.store.run(sql`DELETE FROM guardian_links WHERE id IN (${sql.join(links.map((id) => sql`${id}`), sql`, `)})`);
    }
  });

  it('a student cannot be recorded as a guardian, and a staff account is refused with a pointer to the pairing code', async () => {
    const dean = await loginAs(t.app, 'dean@demo.test');
    const child = await studentOfGroup(t.store, '1201', 1);
    const classmate = { email: await emailOf(await studentOfGroup(t.store, '1201', 2)) };
    const linksBefore = await count(sql`SELECT count(*) AS n FROM guardian_links`);
    const student = await dean.post(`/admin/people/${child}/guardians`, { email: classmate.email, scope: 'full', consentNote: 'согласие № 2' });
    expect(student.statusCode).toBe(422);
    expect(student.body).toContain('учётная запись студента');
    const staff = await dean.post(`/admin/people/${child}/guardians`, { email: 'teacher-parent@demo.test', scope: 'attendance', consentNote: 'согласие № 3' });
    expect(staff.statusCode).toBe(422);
    expect(staff.body).toContain('код привязки');
    const fis = await loginAs(t.app, 'dean-fis@demo.test');
    const en = await fis.post(`/admin/people/${await studentOfGroup(t.store, 'E201')}/guardians`, { email: 'teacher@demo.test', scope: 'attendance', consentNote: 'consent no. 4' });
    expect(en.statusCode).toBe(422);
    expect(en.body).toContain('pairing code');
    expect(await count(sql`SELECT count(*) AS n FROM guardian_links`)).toBe(linksBefore);
    expect(await roles(await userId(t.store, 'teacher@demo.test'))).toEqual(['teacher:']);
  });

  it('a teacher who is a parent: linked by a pairing code, the link gives no dean power over the teacher account', async () => {
    const child = await studentOfGroup(t.store, 'E101', 3);
    const childEmail = await emailOf(child);
    await t.store.run(sql`UPDATE users SET password_hash = (SELECT password_hash FROM users WHERE email = ${'student@demo.test'}) WHERE id = ${child}`);
    const me = await loginAs(t.app, childEmail);
    const code = /([A-Z0-9]{5}-[A-Z0-9]{5})/.exec((await me.get(String((await me.post(`/students/${child}/guardians/codes`, { scope: 'attendance' })).headers.location))).body)![1];
    const teacher = await loginAs(t.app, 'teacher2@demo.test');
    expect((await teacher.post('/guardian/link', { code })).statusCode).toBe(303);
    expect((await teacher.get(`/students/${child}`)).statusCode).toBe(200);
    // The FIS office now sees teacher2 among the child's guardians, but not the LF teacher's account.
    await assertOutOfReach(await loginAs(t.app, 'dean-fis@demo.test'), await userId(t.store, 'teacher2@demo.test'));
    // The seeded teacher-parent (LF teacher, dean-recorded link to an LF son) is still the LF office's, by her department.
    expect((await (await loginAs(t.app, 'dean@demo.test')).get(`/admin/people/${await userId(t.store, 'teacher-parent@demo.test')}`)).statusCode).toBe(200);
  });

  it('a pairing code redeemed by an administrator or another student is refused and stays unspent', async () => {
    const student = await userId(t.store, 'student@demo.test');
    const me = await loginAs(t.app, 'student@demo.test');
    const code = /Код для родителя: ([A-Z0-9]{5}-[A-Z0-9]{5})/.exec((await me.get(String((await me.post(`/students/${student}/guardians/codes`, { scope: 'full' })).headers.location))).body)![1];
    const dean = await loginAs(t.app, 'dean-fis@demo.test');
    const deanRoles = await roles(await userId(t.store, 'dean-fis@demo.test'));
    const byDean = await dean.post('/guardian/link', { code });
    expect(byDean.statusCode).toBe(422);
    expect(byDean.body).toContain('administrator’s account');
    const classmateId = await studentOfGroup(t.store, '1101', 5);
    await t.store.run(sql`UPDATE users SET password_hash = (SELECT password_hash FROM users WHERE id = ${student}) WHERE id = ${classmateId}`);
    const classmate = await loginAs(t.app, await emailOf(classmateId));
    const byStudent = await classmate.post('/guardian/link', { code });
    expect(byStudent.statusCode).toBe(422);
    expect(byStudent.body).toContain('учётная запись студента');
    expect((await liveLinks(await userId(t.store, 'dean-fis@demo.test'))) + (await liveLinks(classmateId))).toBe(0);
    expect(await roles(await userId(t.store, 'dean-fis@demo.test'))).toEqual(deanRoles);
    expect(await roles(classmateId)).toEqual(['student:']);
    // Still good for the parent it was meant for.
    const parent = await loginAs(t.app, 'parent@demo.test');
    expect((await parent.post('/guardian/link', { code })).statusCode).toBe(303);
  });

  it('resets, disabling and roles of an administrator only from a strictly higher scope', async () => {
    const admin = await loginAs(t.app, 'admin@demo.test');
    const lf = (await t.store.get<{ id: number }>(sql`SELECT id FROM faculties WHERE code = 'LF'`))!.id;
    const made = await admin.post('/admin/people', { email: 'deputy.dean@demo.test', surname: 'Заместитель', givenName: 'Декана', role: 'admin', facultyId: lf, lang: 'ru' });
    expect(made.statusCode).toBe(303);
    const deputy = await userId(t.store, 'deputy.dean@demo.test');
    // Another dean of the same faculty: out of the dean's reach.
    await assertOutOfReach(await loginAs(t.app, 'dean@demo.test'), deputy);
    // The university administration may.
    expect((await admin.post(`/admin/people/${deputy}/disable`, { reason: 'проверка', from: 'card' })).statusCode).toBe(303);
    expect((await admin.post(`/admin/people/${deputy}/enable`, { reason: 'проверка', from: 'card' })).statusCode).toBe(303);
    const reset = await admin.get(String((await admin.post(`/admin/people/${deputy}/reset`, { from: 'card' })).headers.location));
    expect(linkIn(reset.body)).toBeDefined();
    // A second university administrator: the first sees the card but changes nothing on it.
    await admin.post('/admin/people', { email: 'rector.office@demo.test', surname: 'Ректорат', givenName: 'Второй', role: 'admin', facultyId: '', lang: 'ru' });
    const second = await userId(t.store, 'rector.office@demo.test');
    const card = await admin.get(`/admin/people/${second}`);
    expect(card.body).toContain(`id="person-${second}"`);
    expect(card.body).not.toContain(`action="/admin/people/${second}/reset"`);
    await assertOutOfReach(admin, second, 403);
    const refused = await admin.post(`/admin/people/${second}/reset`, {});
    expect(refused.body).toContain('только вышестоящая администрация');
    // Nobody acts on their own card.
    expect((await admin.post(`/admin/people/${await userId(t.store, 'admin@demo.test')}/reset`, {})).statusCode).toBe(404);
  });

  it('a student now in another faculty: the former faculty sees the history but no longer acts on the account', async () => {
    const admin = await loginAs(t.app, 'admin@demo.test');
    const id = await studentOfGroup(t.store, '1301', 1);
    expect((await admin.post(`/admin/people/${id}/group`, { groupId: await groupIdOf(t.store, 'E201'), fromDate: '2026-11-16', reason: 'Перевод на ФИС' })).statusCode).toBe(303);
    const dean = await loginAs(t.app, 'dean@demo.test');
    await assertOutOfReach(dean, id, 403);
    expect((await (await loginAs(t.app, 'dean-fis@demo.test')).post(`/admin/people/${id}/reset`, {})).statusCode).toBe(303);
  });

  it('a legitimate guardian is still recorded: a new account, and an existing parent for a second child', async () => {
    const dean = await loginAs(t.app, 'dean@demo.test');
    const child = await studentOfGroup(t.store, '1202', 3);
    const recorded = await dean.post(`/admin/people/${child}/guardians`, { email: 'father@example.test', surname: 'Отец', givenName: 'Иван', scope: 'full', consentNote: 'Письменное согласие № 115' });
    expect(recorded.statusCode).toBe(303);
    const res = await dean.get(String(recorded.headers.location));
    const a = agent(t.app);
    await a.get(linkIn(res.body)!);
    expect((await a.post(linkIn(res.body)!, { next: 'father-password-1', repeat: 'father-password-1' })).statusCode).toBe(303);
    expect((await (await loginAs(t.app, 'father@example.test', 'father-password-1')).get('/')).body).toContain(`id="child-${child}"`);
    const parent = await userId(t.store, 'parent@demo.test');
    const sibling = await studentOfGroup(t.store, '1202', 4);
    const sent = await dean.post(`/admin/people/${sibling}/guardians`, { email: 'parent@demo.test', scope: 'attendance', consentNote: 'Письменное согласие № 116' });
    expect(sent.statusCode).toBe(303);
    const again = await dean.get(String(sent.headers.location));
    expect(again.body).toContain('Связь записана');
    expect(await count(sql`SELECT count(*) AS n FROM guardian_links WHERE guardian_id = ${parent} AND student_id = ${sibling} AND revoked_at IS NULL`)).toBe(1);
    // A guardian account is the office's to help: its card, and a reset link that works.
    const asked = await dean.post(`/admin/people/${parent}/reset`, { from: 'card' });
    expect(asked.statusCode).toBe(303);
    const reset = await dean.get(String(asked.headers.location));
    expect(linkIn(reset.body)).toBeDefined();
  });
});
