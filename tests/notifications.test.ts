import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { sql, type SQLWrapper } from 'drizzle-orm';
import { makeTestApp, loginAs, userId, type TestApp } from './helpers/app';
import { courseOf, linkedChild, ratingOf } from './helpers/lookup';
import { TEST_TODAY } from './helpers/constants';

let t: TestApp;
const q = async <T>(query: SQLWrapper) => (await t.store.get<T>(query)) as T;
const notes = async (email: string) => t.store.all<{ kind: string; payload: string }>(sql`SELECT kind, payload FROM notifications WHERE user_id = ${await userId(t.store, email)} ORDER BY id`);
beforeAll(async () => { t = await makeTestApp(); });
afterAll(async () => { await t.close(); });

describe('stored notifications', () => {
  it('tell the student and a full-scope parent of a mark; an attendance-only guardian only of absences; muted kinds are skipped', async () => {
    const course = await courseOf(t.store, 'Human Anatomy', '1101');
    const student = await userId(t.store, 'student@demo.test');
    const lesson = (await q<{ id: number }>(sql`SELECT l.id FROM lessons l JOIN groups g ON g.id = l.group_id WHERE l.course_id = ${course} AND g.name = '1101' AND l.date = ${TEST_TODAY}`)).id;
    const teacher = await loginAs(t.app, 'teacher@demo.test');
    await teacher.post(`/courses/${course}/cells`, { lessonId: lesson, studentId: student, value: '8', av: 0, mv: 0 });
    expect((await notes('student@demo.test')).map((n) => n.kind)).toEqual(['mark']);
    expect(JSON.parse((await notes('parent@demo.test'))[0].payload)).toMatchObject({ value: 8 });

    const son = await linkedChild(t.store, 'teacher-parent@demo.test');
    const physiology = (await q<{ id: number }>(sql`SELECT c.id FROM courses c JOIN subjects s ON s.id = c.subject_id JOIN course_groups cg ON cg.course_id = c.id JOIN groups g ON g.id = cg.group_id WHERE s.code = 'PHYS' AND g.name = '1202'`)).id;
    const lecture = (await q<{ id: number }>(sql`SELECT id FROM lessons WHERE course_id = ${physiology} AND date = ${TEST_TODAY} AND group_id IS NULL`)).id;
    const kovaleva = await loginAs(t.app, 'i.kovaleva@demo.test');
    await kovaleva.post(`/courses/${physiology}/cells`, { lessonId: lecture, studentId: son, value: '9', av: 0, mv: 0 });
    expect(await notes('teacher-parent@demo.test')).toEqual([]);
    const av = (await q<{ version: number }>(sql`SELECT version FROM attendance WHERE lesson_id = ${lecture} AND student_id = ${son}`)).version;
    await kovaleva.post(`/courses/${physiology}/cells`, { lessonId: lecture, studentId: son, value: 'н', av, mv: 1 });
    const tp = await notes('teacher-parent@demo.test');
    expect(tp.map((n) => n.kind)).toEqual(['absence']);
    expect(tp[0].payload).not.toContain('"value"');

    const parent = await loginAs(t.app, 'parent@demo.test');
    await parent.post('/account/notifications', { notify: 'absence' }); // mute marks
    const mv = (await q<{ version: number }>(sql`SELECT version FROM marks WHERE lesson_id = ${lesson} AND student_id = ${student}`)).version;
    await teacher.post(`/courses/${course}/cells`, { lessonId: lesson, studentId: student, value: '9', av: (await q<{ version: number }>(sql`SELECT version FROM attendance WHERE lesson_id = ${lesson} AND student_id = ${student}`)).version, mv });
    expect(await notes('parent@demo.test')).toHaveLength(1);
    expect(await notes('student@demo.test')).toHaveLength(2);
  });

  it('show a badge and a list; "mark all read" clears the badge', async () => {
    const a = await loginAs(t.app, 'student@demo.test');
    expect((await a.get('/')).body).toContain('<span class="count" aria-hidden="true">2</span> <span class="sr-only">2 непрочитанных уведомления</span>');
    const list = await a.get('/notifications');
    expect(list.body).toContain('оценка 9');
    expect((await a.post('/notifications/read-all', {})).statusCode).toBe(303);
    expect((await a.get('/')).body).toContain('<span id="unread" class="unread-badge"></span>');
  });
  it('tell the student and every full-scope guardian when exam admission flips, once per flip, with no reasons stored', async () => {
    const course = await courseOf(t.store, 'Histology', '1101');
    const student = await userId(t.store, 'student@demo.test');
    const admissions = async (email: string) => (await notes(email)).filter((n) => n.kind === 'admission').map((n) => JSON.parse(n.payload) as Record<string, unknown>);
    const lesson = (await q<{ id: number }>(sql`SELECT l.id FROM lessons l JOIN groups g ON g.id = l.group_id WHERE l.course_id = ${course} AND g.name = '1101' AND l.date <= ${TEST_TODAY} AND l.cancelled = ${false} ORDER BY l.date DESC LIMIT 1`)).id;
    // The rule changed behind the register's back (no notice of its own): only the marks below can flip admission.
    const setMinRating = async (v: number) => {
      const rules = JSON.parse((await q<{ rules: string }>(sql`SELECT rules FROM courses WHERE id = ${course}`)).rules || '{}');
      await t.store.run(sql`UPDATE courses SET rules = ${JSON.stringify({ ...rules, admission: { ...(rules.admission ?? {}), minRating: v, requireMakeups: false, absenceCapPercent: null, requiredPassKinds: [] } })} WHERE id = ${course}`);
    };
    const teacher = await loginAs(t.app, 'teacher-parent@demo.test');
    const write = async (value: string) => {
      const v = async (table: 'attendance' | 'marks') => (await q<{ version: number } | undefined>(sql`SELECT version FROM ${sql.raw(table)} WHERE lesson_id = ${lesson} AND student_id = ${student}`))?.version ?? 0;
      const res = await teacher.post(`/courses/${course}/cells`, { lessonId: lesson, studentId: student, value, av: await v('attendance'), mv: await v('marks'), reason: 'проверка допуска' });
      expect(res.statusCode).toBe(200);
    };
    await t.store.run(sql`UPDATE users SET notify_muted = '[]' WHERE email = 'parent@demo.test'`); // the first test muted marks
    await setMinRating(1);
    await write('7');
    expect(await admissions('student@demo.test')).toEqual([]); // admitted before and after: nothing to say
    await setMinRating((await ratingOf(t.store, student, course, TEST_TODAY)) - 0.01); // admitted, just
    await write('1'); // this mark takes the rating under the line: a flip
    expect(await admissions('student@demo.test')).toEqual([{ subjectRu: expect.any(String), subjectEn: expect.any(String), admitted: false }]);
    expect(await admissions('parent@demo.test')).toHaveLength(1);
    await write('2');
    expect(await admissions('student@demo.test')).toHaveLength(1); // still not admitted: no second notice
    await write('8');
    expect((await admissions('student@demo.test')).map((a) => a.admitted)).toEqual([false, true]);
    const page = await (await loginAs(t.app, 'student@demo.test')).get('/notifications');
    expect(page.body).toContain('нет допуска к экзамену');
    expect(page.body).toContain('снова допущен(а) к экзамену');
  });

  it('say nothing when marks are entered for a student who was not admitted before them either (issue 14.12)', async () => {
    const course = await courseOf(t.store, 'Histology', '1101');
    const student = await userId(t.store, 'student@demo.test');
    const lesson = (await q<{ id: number }>(sql`SELECT l.id FROM lessons l JOIN groups g ON g.id = l.group_id WHERE l.course_id = ${course} AND g.name = '1101' AND l.date <= ${TEST_TODAY} AND l.cancelled = ${false} ORDER BY l.date DESC LIMIT 1 OFFSET 1`)).id;
    const rules = JSON.parse((await q<{ rules: string }>(sql`SELECT rules FROM courses WHERE id = ${course}`)).rules || '{}');
    const setMinRating = (v: number) => t.store.run(sql`UPDATE courses SET rules = ${JSON.stringify({ ...rules, admission: { ...(rules.admission ?? {}), minRating: v, requireMakeups: false, absenceCapPercent: null, requiredPassKinds: [] } })} WHERE id = ${course}`);
    const count = async () => (await q<{ n: number }>(sql`SELECT count(*) AS n FROM notifications WHERE kind = 'admission' AND student_id = ${student} AND course_id = ${course}`)).n;
    const teacher = await loginAs(t.app, 'teacher-parent@demo.test');
    const write = async (value: string) => {
      const v = async (table: 'attendance' | 'marks') => (await q<{ version: number } | undefined>(sql`SELECT version FROM ${sql.raw(table)} WHERE lesson_id = ${lesson} AND student_id = ${student}`))?.version ?? 0;
      expect((await teacher.post(`/courses/${course}/cells`, { lessonId: lesson, studentId: student, value, av: await v('attendance'), mv: await v('marks'), reason: 'проверка допуска' })).statusCode).toBe(200);
    };
    await setMinRating(10); // not admitted already, and never told (the state came from a rule, not from a mark)
    const before = await count();
    for (const v of ['3', '4', '2']) await write(v);
    expect(await count()).toBe(before); // was: "not admitted" to the student and every guardian at the first mark
    // A real flip tells once; admitted again without a word (a rule), the next fall is not told twice.
    const fall = async () => {
      await setMinRating(1);
      await write('9');
      await setMinRating((await ratingOf(t.store, student, course, TEST_TODAY)) - 0.01);
      await write('1');
    };
    await fall();
    expect(await count()).toBeGreaterThan(before); // admitted → not admitted: told
    const lastState = async () => JSON.parse((await q<{ payload: string }>(sql`SELECT payload FROM notifications WHERE kind = 'admission' AND student_id = ${student} AND course_id = ${course} ORDER BY id DESC LIMIT 1`)).payload).admitted;
    expect(await lastState()).toBe(false);
    const told = await count();
    await fall(); // the same flip again, but the last notice already says "not admitted"
    expect(await count()).toBe(told);
  });

  it('tell the student, and nobody else, that a dispute was answered', async () => {
    const course = await courseOf(t.store, 'Human Anatomy', '1101');
    const student = await userId(t.store, 'student@demo.test');
    const marked = await q<{ lesson_id: number }>(sql`SELECT m.lesson_id FROM marks m JOIN lessons l ON l.id = m.lesson_id WHERE l.course_id = ${course} AND m.student_id = ${student} AND m.value IS NOT NULL ORDER BY l.date LIMIT 1`);
    const me = await loginAs(t.app, 'student@demo.test');
    await me.get(`/students/${student}/courses/${course}`);
    expect((await me.post(`/students/${student}/courses/${course}/disputes`, { lessonId: marked.lesson_id, subject: 'mark', comment: 'Прошу пересмотреть оценку' })).statusCode).toBeLessThan(400);
    const dispute = (await q<{ id: number }>(sql`SELECT id FROM disputes WHERE student_id = ${student} ORDER BY id DESC LIMIT 1`)).id;
    const parentBefore = (await notes('parent@demo.test')).length;
    const teacher = await loginAs(t.app, 'teacher@demo.test');
    expect((await teacher.post(`/disputes/${dispute}`, { decision: 'rejected', answer: 'Оценка соответствует ответу' })).statusCode).toBe(303);
    expect((await notes('student@demo.test')).filter((n) => n.kind === 'dispute').map((n) => JSON.parse(n.payload).decision)).toEqual(['rejected']);
    expect(await notes('parent@demo.test')).toHaveLength(parentBefore);
    expect((await me.get('/notifications')).body).toContain('на апелляцию дан ответ');
  });
});
