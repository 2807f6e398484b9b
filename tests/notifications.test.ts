import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { makeTestApp, loginAs, userId, type TestApp } from './helpers/app';
import { courseOf, linkedChild } from './helpers/lookup';
import { TEST_TODAY } from './helpers/constants';

let t: TestApp;
const q = <T>(sql: string, ...args: unknown[]) => t.db.$client.prepare(sql).get(...args) as T;
const notes = (email: string) => t.db.$client.prepare('SELECT kind, payload FROM notifications WHERE user_id = ? ORDER BY id').all(userId(t.db, email)) as { kind: string; payload: string }[];
beforeAll(async () => { t = await makeTestApp(); });
afterAll(async () => { await t.close(); });

describe('stored notifications', () => {
  it('tell the student and a full-scope parent of a mark; an attendance-only guardian only of absences; muted kinds are skipped', async () => {
    const course = courseOf(t.db, 'Human Anatomy', '1101');
    const student = userId(t.db, 'student@demo.test');
    const lesson = q<{ id: number }>(`SELECT l.id FROM lessons l JOIN groups g ON g.id = l.group_id WHERE l.course_id = ? AND g.name = '1101' AND l.date = ?`, course, TEST_TODAY).id;
    const teacher = await loginAs(t.app, 'teacher@demo.test');
    await teacher.post(`/courses/${course}/cells`, { lessonId: lesson, studentId: student, value: '8', av: 0, mv: 0 });
    expect(notes('student@demo.test').map((n) => n.kind)).toEqual(['mark']);
    expect(JSON.parse(notes('parent@demo.test')[0].payload)).toMatchObject({ value: 8 });

    const son = linkedChild(t.db, 'teacher-parent@demo.test');
    const physiology = q<{ id: number }>(`SELECT c.id FROM courses c JOIN subjects s ON s.id = c.subject_id JOIN course_groups cg ON cg.course_id = c.id JOIN groups g ON g.id = cg.group_id WHERE s.code = 'PHYS' AND g.name = '1202'`).id;
    const lecture = q<{ id: number }>('SELECT id FROM lessons WHERE course_id = ? AND date = ? AND group_id IS NULL', physiology, TEST_TODAY).id;
    const kovaleva = await loginAs(t.app, 'i.kovaleva@demo.test');
    await kovaleva.post(`/courses/${physiology}/cells`, { lessonId: lecture, studentId: son, value: '9', av: 0, mv: 0 });
    expect(notes('teacher-parent@demo.test')).toEqual([]);
    const av = q<{ version: number }>('SELECT version FROM attendance WHERE lesson_id = ? AND student_id = ?', lecture, son).version;
    await kovaleva.post(`/courses/${physiology}/cells`, { lessonId: lecture, studentId: son, value: 'н', av, mv: 1 });
    const tp = notes('teacher-parent@demo.test');
    expect(tp.map((n) => n.kind)).toEqual(['absence']);
    expect(tp[0].payload).not.toContain('"value"');

    const parent = await loginAs(t.app, 'parent@demo.test');
    await parent.post('/account/notifications', { notify: 'absence' }); // mute marks
    const mv = q<{ version: number }>('SELECT version FROM marks WHERE lesson_id = ? AND student_id = ?', lesson, student).version;
    await teacher.post(`/courses/${course}/cells`, { lessonId: lesson, studentId: student, value: '9', av: q<{ version: number }>('SELECT version FROM attendance WHERE lesson_id = ? AND student_id = ?', lesson, student).version, mv });
    expect(notes('parent@demo.test')).toHaveLength(1);
    expect(notes('student@demo.test')).toHaveLength(2);
  });

  it('show a badge and a list; "mark all read" clears the badge', async () => {
    const a = await loginAs(t.app, 'student@demo.test');
    expect((await a.get('/')).body).toMatch(/<span class="count" id="unread">2<\/span>/);
    const list = await a.get('/notifications');
    expect(list.body).toContain('оценка 9');
    expect((await a.post('/notifications/read-all', {})).statusCode).toBe(303);
    expect((await a.get('/')).body).toContain('<span class="count" id="unread" hidden>0</span>');
  });
  it('tell the student and every full-scope guardian when exam admission flips, once per flip, with no reasons stored', async () => {
    const course = courseOf(t.db, 'Histology', '1101');
    const student = userId(t.db, 'student@demo.test');
    const admissions = (email: string) => notes(email).filter((n) => n.kind === 'admission').map((n) => JSON.parse(n.payload) as Record<string, unknown>);
    const lesson = q<{ id: number }>(`SELECT l.id FROM lessons l JOIN groups g ON g.id = l.group_id WHERE l.course_id = ? AND g.name = '1101' AND l.date <= ? AND l.cancelled = 0 ORDER BY l.date DESC LIMIT 1`, course, TEST_TODAY).id;
    const setMinRating = (v: number) => {
      const rules = JSON.parse(q<{ rules: string }>('SELECT rules FROM courses WHERE id = ?', course).rules || '{}');
      t.db.$client.prepare('UPDATE courses SET rules = ? WHERE id = ?').run(JSON.stringify({ ...rules, admission: { ...(rules.admission ?? {}), minRating: v, requireMakeups: false, absenceCapPercent: null, requiredPassKinds: [] } }), course);
    };
    const teacher = await loginAs(t.app, 'teacher-parent@demo.test');
    const write = async (value: string) => {
      const v = (table: string) => q<{ version: number } | undefined>(`SELECT version FROM ${table} WHERE lesson_id = ? AND student_id = ?`, lesson, student)?.version ?? 0;
      const res = await teacher.post(`/courses/${course}/cells`, { lessonId: lesson, studentId: student, value, av: v('attendance'), mv: v('marks'), reason: 'проверка допуска' });
      expect(res.statusCode).toBe(200);
    };
    t.db.$client.prepare("UPDATE users SET notify_muted = '[]' WHERE email = 'parent@demo.test'").run(); // the first test muted marks
    setMinRating(1);
    await write('7');
    expect(admissions('student@demo.test')).toEqual([]); // admitted, as remembered: nothing to say
    setMinRating(10); // the dean's office tightens the rule; the next record shows the flip
    await write('6');
    expect(admissions('student@demo.test')).toEqual([{ subjectRu: expect.any(String), subjectEn: expect.any(String), admitted: false }]);
    expect(admissions('parent@demo.test')).toHaveLength(1);
    await write('5');
    expect(admissions('student@demo.test')).toHaveLength(1); // still not admitted: no second notice
    setMinRating(1);
    await write('8');
    expect(admissions('student@demo.test').map((a) => a.admitted)).toEqual([false, true]);
    const page = await (await loginAs(t.app, 'student@demo.test')).get('/notifications');
    expect(page.body).toContain('нет допуска к экзамену');
    expect(page.body).toContain('снова допущен(а) к экзамену');
  });

  it('tell the student, and nobody else, that a dispute was answered', async () => {
    const course = courseOf(t.db, 'Human Anatomy', '1101');
    const student = userId(t.db, 'student@demo.test');
    const marked = q<{ lesson_id: number }>('SELECT m.lesson_id FROM marks m JOIN lessons l ON l.id = m.lesson_id WHERE l.course_id = ? AND m.student_id = ? AND m.value IS NOT NULL ORDER BY l.date LIMIT 1', course, student);
    const me = await loginAs(t.app, 'student@demo.test');
    await me.get(`/students/${student}/courses/${course}`);
    expect((await me.post(`/students/${student}/courses/${course}/disputes`, { lessonId: marked.lesson_id, subject: 'mark', comment: 'Прошу пересмотреть оценку' })).statusCode).toBeLessThan(400);
    const dispute = q<{ id: number }>('SELECT id FROM disputes WHERE student_id = ? ORDER BY id DESC LIMIT 1', student).id;
    const parentBefore = notes('parent@demo.test').length;
    const teacher = await loginAs(t.app, 'teacher@demo.test');
    expect((await teacher.post(`/disputes/${dispute}`, { decision: 'rejected', answer: 'Оценка соответствует ответу' })).statusCode).toBe(200);
    expect(notes('student@demo.test').filter((n) => n.kind === 'dispute').map((n) => JSON.parse(n.payload).decision)).toEqual(['rejected']);
    expect(notes('parent@demo.test')).toHaveLength(parentBefore);
    expect((await me.get('/notifications')).body).toContain('на апелляцию дан ответ');
  });
});
