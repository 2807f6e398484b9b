import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { sql, type SQLWrapper } from 'drizzle-orm';
import { makeTestApp, loginAs, type TestApp, type Agent } from './helpers/app';
import { TEST_TODAY } from './helpers/constants';

let t: TestApp;
let dean: Agent;
const q = async <T>(query: SQLWrapper) => (await t.store.get<T>(query)) as T;
const all = <T>(query: SQLWrapper) => t.store.all<T>(query);
const groupId = async (name: string) => (await q<{ id: number }>(sql`SELECT id FROM groups WHERE name = ${name}`)).id;
const currentTermId = async () => (await q<{ id: number }>(sql`SELECT id FROM terms WHERE starts_on <= ${TEST_TODAY} AND ends_on >= ${TEST_TODAY}`)).id;

beforeAll(async () => {
  t = await makeTestApp();
  dean = await loginAs(t.app, 'dean@demo.test');
});
afterAll(async () => { await t.close(); });

describe('printable group journal', () => {
  it('lists every course of the group in the term, with its students and their marks', async () => {
    const g = await groupId('1101');
    const res = await dean.get(`/groups/${g}/journal`);
    expect(res.statusCode).toBe(200);
    const courses = await all<{ id: number; nameRu: string }>(sql`SELECT c.id, s.name_ru AS "nameRu" FROM course_groups cg JOIN courses c ON c.id = cg.course_id
      JOIN subjects s ON s.id = c.subject_id WHERE cg.group_id = ${g} AND c.term_id = ${await currentTermId()}`);
    expect(courses.length).toBeGreaterThan(1);
    for (const c of courses) {
      expect(res.body).toContain(`id="gj-course-${c.id}"`);
      expect(res.body).toContain(c.nameRu);
    }
    expect(res.body.match(/class="gj-course"/g)?.length).toBe(courses.length);
    expect(res.body.match(/<h1>/g)?.length).toBe(1);
    const students = await all<{ surname: string }>(sql`SELECT u.surname FROM group_memberships m JOIN users u ON u.id = m.student_id WHERE m.group_id = ${g} AND m.to_date IS NULL`);
    for (const s of students) expect(res.body).toContain(s.surname);
    // A mark of a current 1101 student on a held lesson of the group is in its cell.
    const mark = await q<{ lessonId: number; studentId: number; value: number }>(sql`SELECT k.lesson_id AS "lessonId", k.student_id AS "studentId", k.value
      FROM marks k JOIN lessons l ON l.id = k.lesson_id JOIN courses c ON c.id = l.course_id JOIN course_groups cg ON cg.course_id = c.id AND cg.group_id = ${g}
      JOIN group_memberships m ON m.student_id = k.student_id AND m.group_id = ${g} AND m.from_date <= l.date AND m.to_date IS NULL
      LEFT JOIN attendance a ON a.lesson_id = l.id AND a.student_id = k.student_id
      WHERE k.value IS NOT NULL AND l.cancelled = ${false} AND l.date <= ${TEST_TODAY} AND c.term_id = ${await currentTermId()} AND (l.group_id IS NULL OR l.group_id = ${g}) AND (a.status IS NULL OR a.status <> 'absent')
      ORDER BY k.lesson_id LIMIT 1`);
    expect(res.body).toMatch(new RegExp(`id="gj-${mark.lessonId}-${mark.studentId}" class="[^"]*">(о )?${mark.value}</td>`));
    expect(res.body).toContain('Деканат: ____');
    expect(res.body).not.toContain('<script>alert');
  });

  it('speaks the viewer\'s language', async () => {
    const ru = await dean.get(`/groups/${await groupId('1101')}/journal`);
    expect(ru.body).toContain('<h1>Журнал группы · Группа 1101</h1>');
    expect(ru.body).toContain('Средний балл');
    const admin = await loginAs(t.app, 'admin@demo.test');
    expect((await admin.post('/lang', { lang: 'en', back: '/' })).statusCode).toBe(303);
    const en = await admin.get(`/groups/${await groupId('1101')}/journal`);
    expect(en.statusCode).toBe(200);
    expect(en.body).toContain('<h1>Group journal · Group 1101</h1>');
    expect(en.body).toContain('Average');
    expect(en.body).toContain('Dean&#39;s office: ____');
  });

  it('is only for the dean\'s office of the group\'s faculty', async () => {
    const fis = await loginAs(t.app, 'dean-fis@demo.test');
    expect((await fis.get(`/groups/${await groupId('1101')}/journal`)).statusCode).toBe(404);
    expect((await fis.get(`/groups/${await groupId('E101')}/journal`)).statusCode).toBe(200);
    expect((await dean.get(`/groups/${await groupId('E101')}/journal`)).statusCode).toBe(404);
    const teacher = await loginAs(t.app, 'teacher@demo.test');
    expect((await teacher.get(`/groups/${await groupId('1101')}/journal`)).statusCode).toBe(404);
    expect((await dean.get('/groups/abc/journal')).statusCode).toBe(404);
  });

  it('leaves out a student who left the group before the term', async () => {
    const term = await q<{ startsOn: string }>(sql`SELECT starts_on AS "startsOn" FROM terms WHERE id = ${await currentTermId()}`);
    const before = new Date(Date.parse(term.startsOn) - 86_400_000).toISOString().slice(0, 10);
    const [g1101, g1102] = [await groupId('1101'), await groupId('1102')];
    await t.store.tx(async (tx) => {
      const id = (await tx.get<{ id: number }>(sql`INSERT INTO users (email, surname, given_name) VALUES ('gone@students.demo.test', 'Ушедшийдоначала', 'Тест') RETURNING id`))!.id;
      await tx.run(sql`INSERT INTO user_roles (user_id, role) VALUES (${id}, 'student')`);
      await tx.run(sql`INSERT INTO group_memberships (student_id, group_id, from_date, to_date) VALUES (${id}, ${g1101}, '2024-09-01', ${before})`);
      await tx.run(sql`INSERT INTO group_memberships (student_id, group_id, from_date) VALUES (${id}, ${g1102}, ${term.startsOn})`);
    });
    expect((await dean.get(`/groups/${g1101}/journal`)).body).not.toContain('Ушедшийдоначала');
    expect((await dean.get(`/groups/${g1102}/journal`)).body).toContain('Ушедшийдоначала');
  });

  it('refuses a bad term with a message, not a crash', async () => {
    const g = await groupId('1101');
    const bad = await dean.get(`/groups/${g}/journal?term=spring`);
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toContain('Семестр указывается номером');
    const twice = await dean.get(`/groups/${g}/journal?term=1&term=2`);
    expect(twice.statusCode).toBe(422);
    const missing = await dean.get(`/groups/${g}/journal?term=999999`);
    expect(missing.statusCode).toBe(404);
    expect(missing.body).toContain('Такого семестра нет');
    const explicit = await dean.get(`/groups/${g}/journal?term=${await currentTermId()}`);
    expect(explicit.statusCode).toBe(200);
  });
  it('is linked from the admin home', async () => {
    const g = await groupId('1101');
    expect((await dean.get('/')).body).toContain(`href="/groups/${g}/journal"`);
  });
});
