import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { makeTestApp, loginAs, userId, type TestApp, type Agent } from './helpers/app';
import { courseOf, studentOfGroup } from './helpers/lookup';
import { TEST_TODAY } from './helpers/constants';
import { verifyAuditChain } from '../db/queries/audit';

let t: TestApp;
let teacher: Agent;
let course: number;
let todayLesson: number;
let pastLesson: number;
let futureLesson: number;
let student: number;

const lessonOn = (courseId: number, groupName: string, cmp: string) =>
  (t.db.$client.prepare(`SELECT l.id FROM lessons l JOIN groups g ON g.id = l.group_id WHERE l.course_id = ? AND g.name = ? AND l.date ${cmp} ? AND l.cancelled = 0 ORDER BY l.date DESC LIMIT 1`)
    .get(courseId, groupName, TEST_TODAY) as { id: number }).id;
const mark = (lessonId: number, studentId: number) => t.db.$client.prepare('SELECT value, version FROM marks WHERE lesson_id = ? AND student_id = ?').get(lessonId, studentId) as { value: number | null; version: number } | undefined;
const att = (lessonId: number, studentId: number) => t.db.$client.prepare('SELECT status, version FROM attendance WHERE lesson_id = ? AND student_id = ?').get(lessonId, studentId) as { status: string | null; version: number } | undefined;
const auditCount = () => (t.db.$client.prepare('SELECT count(*) n FROM audit_log').get() as { n: number }).n;
const cell = (a: Agent, lessonId: number, studentId: number, value: string, extra: Record<string, string | number> = {}) =>
  a.post(`/courses/${course}/cells`, { lessonId, studentId, value, av: att(lessonId, studentId)?.version ?? 0, mv: mark(lessonId, studentId)?.version ?? 0, ...extra });

beforeAll(async () => {
  t = await makeTestApp();
  course = courseOf(t.db, 'Human Anatomy', '1101');
  todayLesson = lessonOn(course, '1101', '=');
  pastLesson = lessonOn(course, '1101', '<');
  futureLesson = (t.db.$client.prepare(`SELECT l.id FROM lessons l JOIN groups g ON g.id = l.group_id WHERE l.course_id = ? AND g.name = '1101' AND l.date > ? ORDER BY l.date LIMIT 1`).get(course, TEST_TODAY) as { id: number }).id;
  student = userId(t.db, 'student@demo.test');
  teacher = await loginAs(t.app, 'teacher@demo.test');
});
afterAll(async () => { await t.close(); });

describe('the journal page', () => {
  it('shows the grid to the course teacher: students, lessons, row ends', async () => {
    const res = await teacher.get(`/courses/${course}`);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Климович А. С.');
    expect(res.body).toContain(`id="c-${todayLesson}-${student}"`);
    expect(res.body).toContain(`id="r-${student}-adm"`);
    expect(res.body).toMatch(/data-editable="1"/);
  });

  it.each(['student@demo.test', 'parent@demo.test', 'teacher-parent@demo.test', 'dean-fis@demo.test'])('is not there (404) for %s', async (email) => {
    const a = await loginAs(t.app, email);
    expect((await a.get(`/courses/${course}`)).statusCode).toBe(404);
  });

  it('is read-only for the dean of the faculty', async () => {
    const dean = await loginAs(t.app, 'dean@demo.test');
    const res = await dean.get(`/courses/${course}`);
    expect(res.statusCode).toBe(200);
  });
});

describe('writing a cell', () => {
  it('saves a mark on the lesson day with presence, version and a valid audit chain', async () => {
    const before = auditCount();
    const res = await cell(teacher, todayLesson, student, '8');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain(`id="c-${todayLesson}-${student}"`);
    expect(mark(todayLesson, student)).toMatchObject({ value: 8, version: 1 });
    expect(att(todayLesson, student)).toMatchObject({ status: 'present' });
    expect(auditCount()).toBe(before + 2);
    const last = t.db.$client.prepare("SELECT * FROM audit_log WHERE action = 'mark.create' ORDER BY id DESC LIMIT 1").get() as Record<string, unknown>;
    expect(last).toMatchObject({ actor_id: userId(t.db, 'teacher@demo.test'), student_id: student, course_id: course, lesson_id: todayLesson });
    expect(JSON.parse(last.after as string)).toMatchObject({ value: 8, version: 1 });
    expect(verifyAuditChain(t.db).ok).toBe(true);
  });

  it.each(['11', '0', '-1', '4.5', 'abc', 'x', 'нн'])('refuses %s with a message and changes nothing', async (value) => {
    const before = auditCount();
    const m = mark(todayLesson, student);
    const res = await cell(teacher, todayLesson, student, value);
    expect(res.statusCode).toBe(422);
    expect(res.body).toMatch(/role="alert"/);
    expect(mark(todayLesson, student)).toEqual(m);
    expect(auditCount()).toBe(before);
  });

  it('answers in Russian for a Russian-speaking teacher', async () => {
    const res = await cell(teacher, todayLesson, student, '11');
    expect(res.body).toContain('Оценка должна быть от 1 до 10');
  });

  it('takes Russian and Latin attendance codes, and Delete clears', async () => {
    const other = studentOfGroup(t.db, '1101', 2);
    expect((await cell(teacher, todayLesson, other, 'н')).statusCode).toBe(200);
    expect(att(todayLesson, other)?.status).toBe('absent');
    expect((await cell(teacher, todayLesson, other, 'l')).statusCode).toBe(200);
    expect(att(todayLesson, other)?.status).toBe('late');
    expect((await cell(teacher, todayLesson, other, '7')).statusCode).toBe(200);
    expect((await cell(teacher, todayLesson, other, '')).statusCode).toBe(200);
    expect(mark(todayLesson, other)?.value).toBeNull();
    expect(att(todayLesson, other)?.status).toBe('late');
  });

  it('answers a stale version with 409, the current value and who set it; nothing is overwritten', async () => {
    const stale = mark(todayLesson, student)!.version;
    expect((await cell(teacher, todayLesson, student, '9')).statusCode).toBe(200);
    const res = await teacher.post(`/courses/${course}/cells`, { lessonId: todayLesson, studentId: student, value: '5', av: att(todayLesson, student)!.version, mv: stale });
    expect(res.statusCode).toBe(409);
    expect(res.body).toContain('Савицкий');
    expect(res.body).toMatch(new RegExp(`id="c-${todayLesson}-${student}"[^>]*>9<`));
    expect(mark(todayLesson, student)?.value).toBe(9);
  });

  it('needs a reason after the lesson day, and records it', async () => {
    const res = await cell(teacher, pastLesson, student, '6');
    expect(res.statusCode).toBe(422);
    expect(res.headers['x-reason-required']).toBe('1');
    const ok = await cell(teacher, pastLesson, student, '6', { reason: 'Пересдача темы на консультации' });
    expect(ok.statusCode).toBe(200);
    const row = t.db.$client.prepare("SELECT reason FROM audit_log WHERE lesson_id = ? AND student_id = ? AND entity = 'mark' ORDER BY id DESC LIMIT 1").get(pastLesson, student) as { reason: string };
    expect(row.reason).toBe('Пересдача темы на консультации');
  });

  it('refuses a lesson that has not happened yet', async () => {
    expect((await cell(teacher, futureLesson, student, '8')).statusCode).toBe(422);
    expect(mark(futureLesson, student)).toBeUndefined();
  });

  it('refuses a lesson of another course and a student not in the lesson', async () => {
    const otherCourse = courseOf(t.db, 'Histology', '1101');
    const foreignLesson = (t.db.$client.prepare('SELECT id FROM lessons WHERE course_id = ? LIMIT 1').get(otherCourse) as { id: number }).id;
    const a = await cell(teacher, foreignLesson, student, '8');
    expect(a.statusCode).toBe(422);
    expect(a.body).toContain('не относится к данному курсу');
    const outsider = studentOfGroup(t.db, '1201');
    const b = await cell(teacher, todayLesson, outsider, '8');
    expect(b.statusCode).toBe(422);
    expect(mark(todayLesson, outsider)).toBeUndefined();
  });

  it.each(['student@demo.test', 'parent@demo.test', 'teacher-parent@demo.test', 'dean-fis@demo.test'])('is refused for %s, and nothing changes', async (email) => {
    const a = await loginAs(t.app, email);
    const before = auditCount();
    const res = await cell(a, todayLesson, student, '2');
    expect([403, 404]).toContain(res.statusCode);
    expect(mark(todayLesson, student)?.value).not.toBe(2);
    expect(auditCount()).toBe(before);
  });

  it('lets the dean override only with a reason', async () => {
    const dean = await loginAs(t.app, 'dean@demo.test');
    expect((await cell(dean, todayLesson, student, '10')).statusCode).toBe(422);
    expect((await cell(dean, todayLesson, student, '10', { reason: 'Решение апелляционной комиссии' })).statusCode).toBe(200);
    expect(mark(todayLesson, student)?.value).toBe(10);
  });

  it('is read-only for teachers once the term is locked', async () => {
    t.db.$client.prepare('UPDATE terms SET locked_at = 1 WHERE id = (SELECT term_id FROM courses WHERE id = ?)').run(course);
    try {
      const res = await cell(teacher, todayLesson, student, '3');
      expect(res.statusCode).toBe(403);
      expect(res.body).toContain('Семестр закрыт');
      expect(mark(todayLesson, student)?.value).not.toBe(3);
      expect((await teacher.get(`/courses/${course}`)).body).not.toContain('data-editable');
    } finally {
      t.db.$client.prepare('UPDATE terms SET locked_at = NULL WHERE id = (SELECT term_id FROM courses WHERE id = ?)').run(course);
    }
  });

  it('refuses a request without the CSRF token', async () => {
    const res = await t.app.inject({
      method: 'POST', url: `/courses/${course}/cells`, payload: `lessonId=${todayLesson}&studentId=${student}&value=2&av=9&mv=9`,
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `zsession=${teacher.cookies.zsession}; zcsrf=${teacher.cookies.zcsrf}` },
    });
    expect(res.statusCode).toBe(403);
  });
});

describe('the exam statement sheet', () => {
  it('lists the group with record books, admission and signature lines, in the viewer’s language; other teachers get 404', async () => {
    const group = (t.db.$client.prepare("SELECT id FROM groups WHERE name = '1101'").get() as { id: number }).id;
    const res = await teacher.get(`/courses/${course}/statement?group=${group}`);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Экзаменационная ведомость');
    expect(res.body).toContain('Климович Анастасия Сергеевна');
    expect(res.body).toMatch(/не допущен|допущен/);
    const other1102 = t.db.$client.prepare("SELECT u.surname || ' ' || u.given_name AS n FROM users u JOIN group_memberships m ON m.student_id = u.id JOIN groups g ON g.id = m.group_id WHERE g.name = '1102' AND m.to_date IS NULL LIMIT 1").get() as { n: string };
    expect(res.body).not.toContain(other1102.n); // only this group
    const other = await loginAs(t.app, 'teacher-parent@demo.test');
    expect((await other.get(`/courses/${course}/statement?group=${group}`)).statusCode).toBe(404);
  });
});
