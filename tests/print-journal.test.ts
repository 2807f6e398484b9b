import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { makeTestApp, loginAs, type TestApp, type Agent } from './helpers/app';
import { TEST_TODAY } from './helpers/constants';

let t: TestApp;
let dean: Agent;
const q = <T>(sql: string, ...args: unknown[]) => t.db.$client.prepare(sql).get(...args) as T;
const all = <T>(sql: string, ...args: unknown[]) => t.db.$client.prepare(sql).all(...args) as T[];
const groupId = (name: string) => q<{ id: number }>('SELECT id FROM groups WHERE name = ?', name).id;
const currentTermId = () => q<{ id: number }>('SELECT id FROM terms WHERE starts_on <= ? AND ends_on >= ?', TEST_TODAY, TEST_TODAY).id;

beforeAll(async () => {
  t = await makeTestApp();
  dean = await loginAs(t.app, 'dean@demo.test');
});
afterAll(async () => { await t.close(); });

describe('printable group journal', () => {
  it('lists every course of the group in the term, with its students and their marks', async () => {
    const g = groupId('1101');
    const res = await dean.get(`/groups/${g}/journal`);
    expect(res.statusCode).toBe(200);
    const courses = all<{ id: number; nameRu: string }>(`SELECT c.id, s.name_ru AS nameRu FROM course_groups cg JOIN courses c ON c.id = cg.course_id
      JOIN subjects s ON s.id = c.subject_id WHERE cg.group_id = ? AND c.term_id = ?`, g, currentTermId());
    expect(courses.length).toBeGreaterThan(1);
    for (const c of courses) {
      expect(res.body).toContain(`id="gj-course-${c.id}"`);
      expect(res.body).toContain(c.nameRu);
    }
    expect(res.body.match(/class="gj-course"/g)?.length).toBe(courses.length);
    expect(res.body.match(/<h1>/g)?.length).toBe(1);
    const students = all<{ surname: string }>("SELECT u.surname FROM group_memberships m JOIN users u ON u.id = m.student_id WHERE m.group_id = ? AND m.to_date IS NULL", g);
    for (const s of students) expect(res.body).toContain(s.surname);
    // A mark of a current 1101 student on a held lesson of the group is in its cell.
    const mark = q<{ lessonId: number; studentId: number; value: number }>(`SELECT k.lesson_id AS lessonId, k.student_id AS studentId, k.value
      FROM marks k JOIN lessons l ON l.id = k.lesson_id JOIN courses c ON c.id = l.course_id JOIN course_groups cg ON cg.course_id = c.id AND cg.group_id = ?
      JOIN group_memberships m ON m.student_id = k.student_id AND m.group_id = ? AND m.from_date <= l.date AND m.to_date IS NULL
      LEFT JOIN attendance a ON a.lesson_id = l.id AND a.student_id = k.student_id
      WHERE k.value IS NOT NULL AND l.cancelled = 0 AND l.date <= ? AND c.term_id = ? AND (l.group_id IS NULL OR l.group_id = ?) AND a.status IS NOT 'absent'
      ORDER BY k.lesson_id LIMIT 1`, g, g, TEST_TODAY, currentTermId(), g);
    expect(res.body).toMatch(new RegExp(`id="gj-${mark.lessonId}-${mark.studentId}" class="[^"]*">(о )?${mark.value}</td>`));
    expect(res.body).toContain('Деканат: ____');
    expect(res.body).not.toContain('<script>alert');
  });

  it('speaks the viewer\'s language', async () => {
    const ru = await dean.get(`/groups/${groupId('1101')}/journal`);
    expect(ru.body).toContain('<h1>Журнал группы · Группа 1101</h1>');
    expect(ru.body).toContain('Средний балл');
    const admin = await loginAs(t.app, 'admin@demo.test');
    expect((await admin.post('/lang', { lang: 'en', back: '/' })).statusCode).toBe(303);
    const en = await admin.get(`/groups/${groupId('1101')}/journal`);
    expect(en.statusCode).toBe(200);
    expect(en.body).toContain('<h1>Group journal · Group 1101</h1>');
    expect(en.body).toContain('Average');
    expect(en.body).toContain('Dean&#39;s office: ____');
  });

  it('is only for the dean\'s office of the group\'s faculty', async () => {
    const fis = await loginAs(t.app, 'dean-fis@demo.test');
    expect((await fis.get(`/groups/${groupId('1101')}/journal`)).statusCode).toBe(404);
    expect((await fis.get(`/groups/${groupId('E101')}/journal`)).statusCode).toBe(200);
    expect((await dean.get(`/groups/${groupId('E101')}/journal`)).statusCode).toBe(404);
    const teacher = await loginAs(t.app, 'teacher@demo.test');
    expect((await teacher.get(`/groups/${groupId('1101')}/journal`)).statusCode).toBe(404);
    expect((await dean.get('/groups/abc/journal')).statusCode).toBe(404);
  });

  it('leaves out a student who left the group before the term', async () => {
    const term = q<{ startsOn: string }>('SELECT starts_on AS startsOn FROM terms WHERE id = ?', currentTermId());
    const id = Number(t.db.$client.prepare("INSERT INTO users (email, surname, given_name) VALUES ('gone@students.demo.test', 'Ушедшийдоначала', 'Тест')").run().lastInsertRowid);
    t.db.$client.prepare("INSERT INTO user_roles (user_id, role) VALUES (?, 'student')").run(id);
    const before = new Date(Date.parse(term.startsOn) - 86_400_000).toISOString().slice(0, 10);
    t.db.$client.prepare("INSERT INTO group_memberships (student_id, group_id, from_date, to_date) VALUES (?, ?, '2024-09-01', ?)").run(id, groupId('1101'), before);
    t.db.$client.prepare('INSERT INTO group_memberships (student_id, group_id, from_date) VALUES (?, ?, ?)').run(id, groupId('1102'), term.startsOn);
    expect((await dean.get(`/groups/${groupId('1101')}/journal`)).body).not.toContain('Ушедшийдоначала');
    expect((await dean.get(`/groups/${groupId('1102')}/journal`)).body).toContain('Ушедшийдоначала');
  });

  it('refuses a bad term with a message, not a crash', async () => {
    const g = groupId('1101');
    const bad = await dean.get(`/groups/${g}/journal?term=spring`);
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toContain('Семестр указывается номером');
    const twice = await dean.get(`/groups/${g}/journal?term=1&term=2`);
    expect(twice.statusCode).toBe(422);
    const missing = await dean.get(`/groups/${g}/journal?term=999999`);
    expect(missing.statusCode).toBe(404);
    expect(missing.body).toContain('Такого семестра нет');
    const explicit = await dean.get(`/groups/${g}/journal?term=${currentTermId()}`);
    expect(explicit.statusCode).toBe(200);
  });
  it('is linked from the admin home and, for the dean\'s office, from the exam statement', async () => {
    const g = groupId('1101');
    expect((await dean.get('/')).body).toContain(`href="/groups/${g}/journal"`);
    const course = q<{ id: number }>("SELECT c.id FROM course_groups cg JOIN courses c ON c.id = cg.course_id WHERE cg.group_id = ? AND c.term_id = ? ORDER BY c.id LIMIT 1", g, currentTermId()).id;
    const link = `href="/groups/${g}/journal?term=${currentTermId()}"`;
    expect((await dean.get(`/courses/${course}/statement?group=${g}`)).body).toContain(link);
    const teacherId = q<{ id: number }>("SELECT u.id FROM course_teachers ct JOIN users u ON u.id = ct.teacher_id WHERE ct.course_id = ? LIMIT 1", course).id;
    const email = q<{ email: string }>('SELECT email FROM users WHERE id = ?', teacherId).email;
    const teacher = await loginAs(t.app, email);
    const statement = await teacher.get(`/courses/${course}/statement?group=${g}`);
    expect(statement.statusCode).toBe(200);
    expect(statement.body).not.toContain('/journal?term=');
  });
});
