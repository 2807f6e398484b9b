import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { sql, type SQL } from 'drizzle-orm';
import { makeTestApp, loginAs, userId, type TestApp } from './helpers/app';
import { courseOf } from './helpers/lookup';
import { TEST_TODAY } from './helpers/constants';
import { verifyAuditChain } from '../db/queries/audit';

let t: TestApp;
const q = async <T>(query: SQL) => (await t.store.get<T>(query)) as T;
beforeAll(async () => { t = await makeTestApp(); });
afterAll(async () => { await t.close(); });

describe('a dispute from student to teacher to resolution', () => {
  it('is opened by the student, answered and corrected by the teacher, seen by the student, and audited', async () => {
    const student = await userId(t.store, 'student@demo.test');
    const course = await courseOf(t.store, 'Human Anatomy', '1101');
    const marked = await q<{ lesson_id: number; value: number }>(sql`SELECT k.lesson_id, k.value FROM marks k JOIN lessons l ON l.id = k.lesson_id
      WHERE k.student_id = ${student} AND l.course_id = ${course} AND l.date < ${TEST_TODAY} ORDER BY l.date DESC LIMIT 1`);
    const me = await loginAs(t.app, 'student@demo.test');
    expect((await me.post(`/students/${student}/courses/${course}/disputes`, { lessonId: marked.lesson_id, subject: 'mark', comment: 'no' })).statusCode).toBe(422);
    const opened = await me.post(`/students/${student}/courses/${course}/disputes`, { lessonId: marked.lesson_id, subject: 'mark', comment: 'Ответ на коллоквиуме был полным' });
    expect(opened.statusCode).toBe(303);
    expect((await me.get(String(opened.headers.location))).body).toContain('Апелляция отправлена');
    const dispute = (await q<{ id: number }>(sql`SELECT id FROM disputes WHERE student_id = ${student} ORDER BY id DESC LIMIT 1`)).id;

    // Another teacher and another faculty's dean neither see it nor may answer it.
    const other = await loginAs(t.app, 'teacher-parent@demo.test');
    expect((await other.get('/disputes')).body).not.toContain(`id="dispute-${dispute}"`);
    expect((await other.post(`/disputes/${dispute}`, { decision: 'rejected', answer: 'нет' })).statusCode).toBe(404);
    expect((await (await loginAs(t.app, 'dean-fis@demo.test')).post(`/disputes/${dispute}`, { decision: 'rejected', answer: 'нет' })).statusCode).toBe(404);

    const teacher = await loginAs(t.app, 'teacher@demo.test');
    expect((await teacher.get('/disputes')).body).toContain(`id="dispute-${dispute}"`);
    expect((await teacher.post(`/disputes/${dispute}`, { decision: 'accepted', answer: 'Пересмотрено', value: '11' })).statusCode).toBe(422);
    expect((await q<{ status: string }>(sql`SELECT status FROM disputes WHERE id = ${dispute}`)).status).toBe('open');
    const fixed = Math.min(10, marked.value + 1);
    const res = await teacher.post(`/disputes/${dispute}`, { decision: 'accepted', answer: 'Пересмотрено, оценка повышена', value: String(fixed) });
    expect(res.statusCode).toBe(303);
    expect((await q<{ value: number }>(sql`SELECT value FROM marks WHERE lesson_id = ${marked.lesson_id} AND student_id = ${student}`)).value).toBe(fixed);
    expect(await q<{ status: string; answer: string }>(sql`SELECT status, answer FROM disputes WHERE id = ${dispute}`)).toEqual({ status: 'accepted', answer: 'Пересмотрено, оценка повышена' });
    expect((await teacher.post(`/disputes/${dispute}`, { decision: 'rejected', answer: 'ещё раз' })).statusCode).toBe(409);

    const page = await me.get(`/students/${student}/courses/${course}`);
    expect(page.body).toMatch(new RegExp(`id="dispute-${dispute}"[\\s\\S]*принята[\\s\\S]*Пересмотрено, оценка повышена`));
    const trail = await t.store.all<{ action: string; reason: string | null }>(sql`SELECT action, reason FROM audit_log WHERE (entity = 'dispute' AND entity_id = ${dispute}) OR (entity = 'mark' AND lesson_id = ${marked.lesson_id} AND student_id = ${student}) ORDER BY id`);
    expect(trail.map((r) => r.action)).toEqual(['mark.create', 'dispute.open', 'mark.update', 'dispute.accept']);
    expect(trail[2].reason).toBe(`Апелляция № ${dispute}: Пересмотрено, оценка повышена`); // not "Апелляции #1:"
    expect((await verifyAuditChain(t.store)).ok).toBe(true);
  });

  it('cannot be opened on someone else’s record or a course the student does not attend', async () => {
    const me = await loginAs(t.app, 'student@demo.test');
    const classmate = (await q<{ id: number }>(sql`SELECT m.student_id AS id FROM group_memberships m JOIN groups g ON g.id = m.group_id JOIN users u ON u.id = m.student_id WHERE g.name = '1101' AND u.email <> 'student@demo.test' LIMIT 1`)).id;
    const course = await courseOf(t.store, 'Human Anatomy', '1101');
    const lesson = (await q<{ id: number }>(sql`SELECT id FROM lessons WHERE course_id = ${course} LIMIT 1`)).id;
    expect((await me.post(`/students/${classmate}/courses/${course}/disputes`, { lessonId: lesson, subject: 'mark', comment: 'чужая оценка' })).statusCode).toBe(404);
    const e101 = await courseOf(t.store, 'Human Anatomy', 'E101');
    expect((await me.post(`/students/${await userId(t.store, 'student@demo.test')}/courses/${e101}/disputes`, { lessonId: lesson, subject: 'mark', comment: 'не мой курс' })).statusCode).toBe(404);
  });
});
