import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { makeTestApp, loginAs, userId, type Agent, type TestApp } from './helpers/app';
import { courseOf } from './helpers/lookup';
import { TEST_TODAY } from './helpers/constants';

// Issue 10 item 5: what a guardian reads of stored notifications follows the link's scope at read
// time, not the scope it had when the notification was stored.
let t: TestApp;
const q = <T>(sql: string, ...args: unknown[]) => t.db.$client.prepare(sql).get(...args) as T;
beforeAll(async () => { t = await makeTestApp(); });
afterAll(async () => { await t.close(); });

const badge = (body: string) => {
  const m = /<span class="count" id="unread"(?: hidden)?>(\d+)<\/span>/.exec(body);
  if (!m) throw new Error('no unread badge on the page');
  return Number(m[1]);
};
const listed = async (a: Agent) => {
  const res = await a.get('/notifications');
  expect(res.statusCode).toBe(200);
  const items = [...res.body.matchAll(/<li class="tile[^"]*"><a href="([^"]+)">([^<]*)<\/a>/g)].map((m) => ({ href: m[1], text: m[2] }));
  return { items, unread: badge(res.body) };
};

describe("a guardian's notifications follow the link's current scope", () => {
  it('a mark notice goes when the student narrows the link, comes back when it is widened, and everything goes with a revoke', async () => {
    const student = userId(t.db, 'student@demo.test');
    const course = courseOf(t.db, 'Human Anatomy', '1101');
    const lesson = q<{ id: number }>(`SELECT l.id FROM lessons l JOIN groups g ON g.id = l.group_id WHERE l.course_id = ? AND g.name = '1101' AND l.date = ?`, course, TEST_TODAY).id;
    const link = q<{ id: number }>('SELECT id FROM guardian_links WHERE guardian_id = ? AND student_id = ? AND revoked_at IS NULL', userId(t.db, 'parent@demo.test'), student).id;
    const version = (table: string) => q<{ version: number } | undefined>(`SELECT version FROM ${table} WHERE lesson_id = ? AND student_id = ?`, lesson, student)?.version ?? 0;
    const teacher = await loginAs(t.app, 'teacher@demo.test');
    const write = async (value: string) => {
      const res = await teacher.post(`/courses/${course}/cells`, { lessonId: lesson, studentId: student, value, av: version('attendance'), mv: version('marks'), reason: 'проверка' });
      expect(res.statusCode).toBe(200);
    };
    await write('3');
    await write('н'); // an absence, which an attendance-only link still covers
    const parent = await loginAs(t.app, 'parent@demo.test');
    const me = await loginAs(t.app, 'student@demo.test');
    const full = await listed(parent);
    // The absence leaves a make-up owed: admission flips too, and a full-scope parent is told of it.
    expect(full.items.map((i) => i.text)).toEqual([expect.stringContaining('нет допуска'), expect.stringContaining('пропуск'), expect.stringContaining('оценка 3')]);
    expect(full.unread).toBe(3);
    const mine = await listed(me);
    expect(mine.items.some((i) => i.text.includes('оценка 3'))).toBe(true);

    expect((await me.post(`/students/${student}/guardians/${link}`, { scope: 'attendance' })).statusCode).toBe(200);
    const narrowed = await listed(parent);
    expect(narrowed.items.map((i) => i.text)).toEqual([expect.stringContaining('пропуск')]);
    expect(narrowed.unread).toBe(1);
    expect(badge((await parent.get('/')).body)).toBe(1); // the header's count on any page
    expect((await parent.get('/notifications')).body).not.toMatch(/оценка|допуск/);
    // "Mark all read" reads only what is shown: the hidden mark notice is still unread, not quietly consumed.
    expect((await parent.post('/notifications/read-all', {})).statusCode).toBe(303);
    expect((await listed(parent)).unread).toBe(0);
    expect(q<{ n: number }>("SELECT count(*) n FROM notifications WHERE user_id = ? AND kind IN ('mark', 'admission') AND read_at IS NULL", userId(t.db, 'parent@demo.test')).n).toBe(2);
    expect(await listed(me)).toEqual(mine); // the student's own list is untouched

    // Widened again, the link covers marks again: the stored notice is shown again (the course page shows the mark too).
    expect((await me.post(`/students/${student}/guardians/${link}`, { scope: 'full' })).statusCode).toBe(200);
    const widened = await listed(parent);
    expect(widened.items.map((i) => i.text)).toEqual(full.items.map((i) => i.text));
    expect(widened.unread).toBe(2);

    expect((await me.post(`/students/${student}/guardians/${link}/revoke`, {})).statusCode).toBe(200);
    const revoked = await listed(parent);
    expect(revoked.items).toEqual([]);
    expect(revoked.unread).toBe(0);
    expect(badge((await parent.get('/')).body)).toBe(0);
    const body = (await parent.get('/notifications')).body;
    expect(body).not.toContain(`/students/${student}/`);
    expect(await listed(me)).toEqual(mine);
    // Revoked, a new mark is not stored for that guardian at all.
    await write('4');
    expect((await listed(parent)).items).toEqual([]);
    expect((await listed(me)).items.some((i) => i.text.includes('оценка 4'))).toBe(true);
  });

  it('an attendance-only guardian is never shown an admission verdict (it depends on marks), a full-scope one is', async () => {
    const student = userId(t.db, 'student@demo.test');
    const course = courseOf(t.db, 'Histology', '1101');
    const lesson = q<{ id: number }>(`SELECT l.id FROM lessons l JOIN groups g ON g.id = l.group_id WHERE l.course_id = ? AND g.name = '1101' AND l.date <= ? AND l.cancelled = 0 ORDER BY l.date DESC LIMIT 1`, course, TEST_TODAY).id;
    // Two fresh guardians of the student, one per scope, linked through the student's own pairing codes.
    const me = await loginAs(t.app, 'student@demo.test');
    const linkWith = async (email: string, scope: string) => {
      const code = /Код для родителя: ([A-Z0-9]{5}-[A-Z0-9]{5})/.exec((await me.post(`/students/${student}/guardians/codes`, { scope })).body)![1];
      const g = await loginAs(t.app, email);
      expect((await g.post('/guardian/link', { code })).statusCode).toBe(303);
      return g;
    };
    // Family accounts only: staff and administrators cannot be linked as guardians (issue 10.1).
    const [auntEmail, uncleEmail] = (t.db.$client.prepare(`SELECT u.email FROM users u WHERE
        EXISTS (SELECT 1 FROM user_roles r WHERE r.user_id = u.id AND r.role = 'guardian')
        AND NOT EXISTS (SELECT 1 FROM user_roles r WHERE r.user_id = u.id AND r.role <> 'guardian')
        AND u.id NOT IN (SELECT guardian_id FROM guardian_links WHERE student_id = ?) ORDER BY u.id LIMIT 2`)
      .all(student) as { email: string }[]).map((r) => r.email);
    const aunt = await linkWith(auntEmail, 'attendance');
    const uncle = await linkWith(uncleEmail, 'full');
    const rules = JSON.parse(q<{ rules: string }>('SELECT rules FROM courses WHERE id = ?', course).rules || '{}');
    t.db.$client.prepare('UPDATE courses SET rules = ? WHERE id = ?').run(JSON.stringify({ ...rules, admission: { ...(rules.admission ?? {}), minRating: 10, requireMakeups: false, absenceCapPercent: null, requiredPassKinds: [] } }), course);
    const teacher = await loginAs(t.app, 'teacher-parent@demo.test');
    const version = (table: string) => q<{ version: number } | undefined>(`SELECT version FROM ${table} WHERE lesson_id = ? AND student_id = ?`, lesson, student)?.version ?? 0;
    expect((await teacher.post(`/courses/${course}/cells`, { lessonId: lesson, studentId: student, value: '5', av: version('attendance'), mv: version('marks'), reason: 'проверка допуска' })).statusCode).toBe(200);
    const NOT_ADMITTED = /нет допуска|not admitted/;
    expect((await listed(me)).items.some((i) => NOT_ADMITTED.test(i.text))).toBe(true);
    expect((await listed(uncle)).items.some((i) => NOT_ADMITTED.test(i.text))).toBe(true);
    const auntBody = (await aunt.get('/notifications')).body;
    expect(auntBody).not.toMatch(/допуск|оценка|admitted|mark \d/);
    expect(badge(auntBody)).toBe(0);
    // Not stored for the attendance-only link either, and hidden if one was stored before a narrowing.
    expect(q<{ n: number }>("SELECT count(*) n FROM notifications WHERE user_id = ? AND kind = 'admission'", userId(t.db, auntEmail)).n).toBe(0);
    const uncleLink = q<{ id: number }>('SELECT id FROM guardian_links WHERE guardian_id = ? AND student_id = ? AND revoked_at IS NULL', userId(t.db, uncleEmail), student).id;
    expect((await me.post(`/students/${student}/guardians/${uncleLink}`, { scope: 'attendance' })).statusCode).toBe(200);
    expect((await uncle.get('/notifications')).body).not.toMatch(/допуск|admitted/);
  });
});
