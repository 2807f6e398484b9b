import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { sql, type SQLWrapper } from 'drizzle-orm';
import { makeTestApp, loginAs, userId, type TestApp } from './helpers/app';
import { courseOf } from './helpers/lookup';
import { TEST_TODAY } from './helpers/constants';
import { verifyAuditChain } from '../db/queries/audit';

let t: TestApp;
const q = async <T>(query: SQLWrapper) => (await t.store.get<T>(query)) as T;
beforeAll(async () => { t = await makeTestApp(); });
afterAll(async () => { await t.close(); });

describe('locking a term, and corrections after it', () => {
  it('the university admin locks the term with a reason; a teacher is refused a write, files a correction, the dean approves it, the value is applied', async () => {
    const course = await courseOf(t.store, 'Human Anatomy', '1101');
    const term = (await q<{ term_id: number }>(sql`SELECT term_id FROM courses WHERE id = ${course}`)).term_id;
    const student = await userId(t.store, 'student@demo.test');
    const lesson = (await q<{ id: number }>(sql`SELECT l.id FROM lessons l JOIN groups g ON g.id = l.group_id WHERE l.course_id = ${course} AND g.name = '1101' AND l.date = ${TEST_TODAY}`)).id;

    const dean = await loginAs(t.app, 'dean@demo.test');
    expect((await dean.post(`/admin/terms/${term}/lock`, { reason: 'Сессия' })).statusCode).toBe(403); // a faculty dean may not
    const admin = await loginAs(t.app, 'admin@demo.test');
    expect((await admin.post(`/admin/terms/${term}/lock`, { reason: '', confirm: '1' })).statusCode).toBe(422);
    expect((await admin.post(`/admin/terms/${term}/lock`, { reason: 'Экзаменационная сессия', confirm: '1' })).statusCode).toBe(303);
    expect((await q<{ locked_at: number | null }>(sql`SELECT locked_at FROM terms WHERE id = ${term}`)).locked_at).not.toBeNull();

    const teacher = await loginAs(t.app, 'teacher@demo.test');
    const refused = await teacher.post(`/courses/${course}/cells`, { lessonId: lesson, studentId: student, value: '9', av: 0, mv: 0 });
    expect(refused.statusCode).toBe(403);
    const page = await teacher.get(`/courses/${course}/lessons/${lesson}`);
    expect(page.body).toContain('id="correction"');
    expect((await teacher.post(`/courses/${course}/corrections`, { lessonId: lesson, studentId: student, field: 'mark', newValue: '11', reason: 'Ошибка ввода' })).statusCode).toBe(422);
    expect((await teacher.post(`/courses/${course}/corrections`, { lessonId: lesson, studentId: student, field: 'mark', newValue: '9', reason: 'Оценка не была внесена до закрытия' })).statusCode).toBe(303);
    const req = (await q<{ id: number }>(sql`SELECT id FROM correction_requests WHERE status = 'pending' ORDER BY id DESC LIMIT 1`)).id;
    expect((await q<{ n: number }>(sql`SELECT count(*) AS n FROM marks WHERE lesson_id = ${lesson} AND student_id = ${student}`)).n).toBe(0);

    const fis = await loginAs(t.app, 'dean-fis@demo.test');
    expect((await fis.get('/admin/corrections')).body).not.toContain(`id="correction-${req}"`);
    expect((await fis.post(`/admin/corrections/${req}`, { decision: 'approve', note: 'ok ok' })).statusCode).toBe(404);
    expect((await dean.get('/admin/corrections')).body).toContain(`id="correction-${req}"`);
    expect((await dean.post(`/admin/corrections/${req}`, { decision: 'approve', note: 'Подтверждено ведомостью' })).statusCode).toBe(303);
    expect((await q<{ value: number }>(sql`SELECT value FROM marks WHERE lesson_id = ${lesson} AND student_id = ${student}`)).value).toBe(9);
    expect((await q<{ status: string }>(sql`SELECT status FROM correction_requests WHERE id = ${req}`)).status).toBe('approved');
    expect((await dean.post(`/admin/corrections/${req}`, { decision: 'approve', note: 'снова' })).statusCode).toBe(409);
    const actions = (await t.store.all<{ action: string }>(sql`SELECT action FROM audit_log WHERE action LIKE 'term.%' OR action LIKE 'correction.%' OR (entity = 'mark' AND lesson_id = ${lesson} AND student_id = ${student}) ORDER BY id`)).map((r) => r.action);
    expect(actions).toEqual(['term.lock', 'correction.request', 'mark.create', 'correction.approve']);
    expect((await verifyAuditChain(t.store)).ok).toBe(true);

    expect((await admin.post(`/admin/terms/${term}/unlock`, { reason: 'Пересдачи', confirm: '1' })).statusCode).toBe(303);
    expect((await teacher.post(`/courses/${course}/cells`, { lessonId: lesson, studentId: student, value: '8', av: (await q<{ version: number }>(sql`SELECT version FROM attendance WHERE lesson_id = ${lesson} AND student_id = ${student}`)).version, mv: 1 })).statusCode).toBe(200);
  });

  it('terms and corrections are for admins only', async () => {
    for (const email of ['teacher@demo.test', 'student@demo.test', 'parent@demo.test']) {
      const a = await loginAs(t.app, email);
      expect((await a.get('/admin/terms')).statusCode).toBe(404);
      expect((await a.get('/admin/corrections')).statusCode).toBe(404);
    }
  });
});
