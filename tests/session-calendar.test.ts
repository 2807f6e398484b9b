// The session calendar and the session reports (issue 16, items 1 and 5): the dean's office sets a course's exam
// days (refused when wrong, audited, its faculty only); students, an attendance-only parent and the teachers see
// them with the days left; the reports' figures against a small fixture counted by hand, scoped by faculty.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { sql, type SQL } from 'drizzle-orm';
import { makeTestApp, loginAs, userId, type TestApp } from './helpers/app';
import { courseOf, groupIdOf, linkedChild, studentOfGroup } from './helpers/lookup';
import { verifyAuditChain } from '../db/queries/audit';
import { TEST_TODAY } from './helpers/constants';

let t: TestApp;
const q = async <T>(query: SQL) => (await t.store.get<T>(query)) as T;
beforeAll(async () => { t = await makeTestApp(); });
afterAll(async () => { await t.close(); });

type Row = { id: number; date: string; reserveDate: string | null; startsAt: string | null; room: string | null; version: number };
const dayOf = (course: number, group: number, kind = 'exam') => t.store.get<Row>(sql`SELECT id, date, reserve_date AS "reserveDate", start_time AS "startsAt", room, version
  FROM session_dates WHERE course_id = ${course} AND group_id = ${group} AND kind = ${kind}`);
const auditCount = async () => Number((await q<{ n: number }>(sql`SELECT count(*) AS n FROM audit_log`)).n);
/** One CSV line's cells (a quoted cell may hold commas). */
const cells = (line: string) => [...line.matchAll(/("(?:[^"]|"")*"|[^,]*)(,|$)/g)].slice(0, -1).map((m) => m[1]!.replace(/^"|"$/g, '').replace(/""/g, '"'));
const addDays = (iso: string, n: number) => new Date(Date.parse(`${iso}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

describe('the session calendar form', () => {
  it("is set by the course's dean's office, shown again on reload, audited; bad input is refused in the user's language and changes nothing", async () => {
    const course = await courseOf(t.store, 'Human Anatomy', '1101');
    const group = await groupIdOf(t.store, '1101');
    const dean = await loginAs(t.app, 'dean@demo.test');
    const seeded = (await dayOf(course, group))!;
    expect(seeded).toBeTruthy(); // the demo seed plans every course's days

    const page = await dean.get(`/courses/${course}/session-dates`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(`id="sd-${group}-exam"`);

    const form = { groupId: group, kind: 'exam', date: '2027-01-22', reserveDate: '2027-01-29', startsAt: '09:30', room: '214', version: seeded.version };
    const ok = await dean.post(`/courses/${course}/session-dates`, form);
    expect(ok.statusCode, ok.body.slice(0, 300)).toBe(303);
    expect(ok.headers.location).toBe(`/courses/${course}/session-dates?done=saved`);
    const after = (await dayOf(course, group))!;
    expect(after).toMatchObject({ date: '2027-01-22', reserveDate: '2027-01-29', startsAt: '09:30', room: '214', version: seeded.version + 1 });
    const reload = await dean.get(String(ok.headers.location));
    expect(reload.body).toContain('День сохранён.');
    expect(reload.body).toContain('value="2027-01-22"');
    expect(reload.body).toContain('value="2027-01-29"');
    const audit = await q<{ action: string; before: string; after: string; actorRole: string; courseId: number }>(sql`SELECT action, before, after,
      actor_role AS "actorRole", course_id AS "courseId" FROM audit_log ORDER BY id DESC LIMIT 1`);
    expect(audit).toMatchObject({ action: 'session_date.update', actorRole: 'admin', courseId: course });
    expect(JSON.parse(audit.before)).toMatchObject({ date: seeded.date });
    expect(JSON.parse(audit.after)).toMatchObject({ date: '2027-01-22', reserveDate: '2027-01-29' });

    // Bad input: each refused with a clear message, nothing written.
    const before = await auditCount();
    const v = after.version;
    const refused = async (body: Record<string, string | number>, text: string) => {
      const res = await dean.post(`/courses/${course}/session-dates`, { ...form, version: v, ...body });
      expect(res.statusCode).toBe(422);
      expect(res.body).toContain(text);
    };
    await refused({ reserveDate: '2027-01-21' }, 'Резервный день должен быть после дня экзамена.');
    await refused({ reserveDate: '2027-01-22' }, 'Резервный день должен быть после дня экзамена.');
    await refused({ date: '2026-08-20' }, 'День раньше начала семестра');
    await refused({ date: '2027-06-01' }, 'День позже конца сессии');
    await refused({ date: '2027-02-30' }, 'Проверьте: день.');
    await refused({ startsAt: '25:00' }, 'время (ЧЧ:ММ)');
    await refused({ groupId: await groupIdOf(t.store, 'E101') }, 'Эта группа не изучает этот курс.');
    const latin = await courseOf(t.store, 'Latin', '1101'); // pass/fail: a credit, never an exam
    expect((await dean.post(`/courses/${latin}/session-dates`, { ...form, version: '' })).statusCode).toBe(422);
    // A stale version (someone changed it meanwhile) is a conflict, not an overwrite.
    expect((await dean.post(`/courses/${course}/session-dates`, { ...form, date: '2027-01-23', version: v - 1 })).statusCode).toBe(409);
    expect(await auditCount()).toBe(before);
    expect(await dayOf(course, group)).toEqual(after);

    await dean.post('/lang', { lang: 'en' });
    const en = await dean.post(`/courses/${course}/session-dates`, { ...form, version: v, reserveDate: '2027-01-20' });
    expect(en.statusCode).toBe(422);
    expect(en.body).toContain('The reserve day must come after the exam day.');
    await dean.post('/lang', { lang: 'ru' });

    // Removing a day: audited too.
    const removed = await dean.post(`/session-dates/${after.id}/remove`, { version: after.version });
    expect(removed.statusCode).toBe(303);
    expect(await dayOf(course, group)).toBeUndefined();
    expect((await q<{ action: string }>(sql`SELECT action FROM audit_log ORDER BY id DESC LIMIT 1`)).action).toBe('session_date.remove');
    // Set anew (no version: there is none).
    expect((await dean.post(`/courses/${course}/session-dates`, { ...form, version: '' })).statusCode).toBe(303);
    expect((await q<{ action: string }>(sql`SELECT action FROM audit_log ORDER BY id DESC LIMIT 1`)).action).toBe('session_date.create');
    expect((await verifyAuditChain(t.store)).ok).toBe(true);
  });

  it("is another faculty's dean's 404, a teacher's 403 (they see it), a student's and a parent's 404", async () => {
    const course = await courseOf(t.store, 'Human Anatomy', '1101');
    const group = await groupIdOf(t.store, '1101');
    const cur = await dayOf(course, group);
    const form = { groupId: group, kind: 'exam', date: '2027-01-25', version: cur?.version ?? '' };
    const before = await auditCount();
    for (const [email, status] of [['dean-fis@demo.test', 404], ['teacher@demo.test', 403], ['student@demo.test', 404], ['parent@demo.test', 404]] as const) {
      const a = await loginAs(t.app, email);
      expect((await a.post(`/courses/${course}/session-dates`, form)).statusCode, email).toBe(status);
      if (cur) expect((await a.post(`/session-dates/${cur.id}/remove`, { version: cur.version })).statusCode, email).toBe(status);
    }
    expect(await auditCount()).toBe(before);
    expect(await dayOf(course, group)).toEqual(cur);
    // The teacher sees the days, without a form.
    const seen = await (await loginAs(t.app, 'teacher@demo.test')).get(`/courses/${course}/session-dates`);
    expect(seen.statusCode).toBe(200);
    expect(seen.body).toContain(`id="sd-${group}-exam"`);
    expect(seen.body).not.toContain('action="/courses/');
    expect((await (await loginAs(t.app, 'dean-fis@demo.test')).get(`/courses/${course}/session-dates`)).statusCode).toBe(404);
  });

  it('gives an undated statement its calendar day', async () => {
    const course = await courseOf(t.store, 'Medical Biology', '1101');
    const group = await groupIdOf(t.store, '1101');
    const day = (await dayOf(course, group))!;
    const dean = await loginAs(t.app, 'dean@demo.test');
    const examiner = (await q<{ id: number }>(sql`SELECT teacher_id AS id FROM course_teachers WHERE course_id = ${course} LIMIT 1`)).id;
    const opened = await dean.post(`/courses/${course}/statements`, { groupId: group, kind: 'exam', date: '', examiner1: examiner });
    expect(opened.statusCode, opened.body.slice(0, 300)).toBe(303);
    const id = Number(/\/statements\/(\d+)/.exec(String(opened.headers.location))![1]);
    expect((await q<{ date: string }>(sql`SELECT date FROM statements WHERE id = ${id}`)).date).toBe(day.date);
    // No calendar day for a credit here: the date is asked for.
    const credit = await dean.post(`/courses/${course}/statements`, { groupId: await groupIdOf(t.store, '1102'), kind: 'credit', date: '', examiner1: examiner });
    expect(credit.statusCode).toBe(422);
    expect(credit.body).toContain('В расписании сессии нет дня');
  });
});

describe('the coming days on the pages', () => {
  it("the student's page and course tile, an attendance-only parent's view, and the teacher's home show them with the days left", async () => {
    const dean = await loginAs(t.app, 'dean@demo.test');
    // The teacher-parent's son is in 1202 through an attendance-only link.
    const son = await linkedChild(t.store, 'teacher-parent@demo.test');
    const physics = await courseOf(t.store, 'Normal Physiology', '1202');
    const g1202 = await groupIdOf(t.store, '1202');
    const cur = await dayOf(physics, g1202);
    const in5 = addDays(TEST_TODAY, 5);
    expect((await dean.post(`/courses/${physics}/session-dates`, { groupId: g1202, kind: 'exam', date: in5, reserveDate: addDays(in5, 7), room: '101', version: cur?.version ?? '' })).statusCode).toBe(303);

    const parent = await loginAs(t.app, 'teacher-parent@demo.test');
    const view = await parent.get(`/students/${son}`);
    expect(view.statusCode).toBe(200);
    expect(view.body).toContain(`id="exam-day-${physics}-${g1202}-exam"`);
    expect(view.body).toContain('экзамен через 5 дней');
    expect(view.body).not.toContain('id="record-book-link"'); // dates only: still no results
    const parentHome = (await parent.get('/')).body; // the child's card: the nearest day
    expect(parentHome).toMatch(new RegExp(`id="child-${son}"[\\s\\S]*?id="child-exam-${physics}-${g1202}-exam"[\\s\\S]*?экзамен через 5 дней[\\s\\S]*?</article>`));

    const email = (await q<{ email: string }>(sql`SELECT email FROM users WHERE id = ${son}`)).email;
    const student = await loginAs(t.app, email);
    const own = await student.get(`/students/${son}`);
    expect(own.body).toContain('экзамен через 5 дней');
    const card = await student.get(`/students/${son}/courses/${physics}`);
    expect(card.statusCode).toBe(200);
    expect(card.body).toMatch(new RegExp(`id="course-tile-${son}-${physics}"[\\s\\S]*?экзамен через 5 дней[\\s\\S]*?</article>`));
    expect((await student.get('/')).body).toContain('экзамен через 5 дней'); // the home's tiles too

    // The course's lecturer sees it on the home page, in their language.
    const lecturer = (await q<{ email: string }>(sql`SELECT u.email FROM course_teachers ct JOIN users u ON u.id = ct.teacher_id
      WHERE ct.course_id = ${physics} AND ct.role = 'lecturer'`)).email;
    const home = await (await loginAs(t.app, lecturer)).get('/');
    expect(home.body).toContain('id="my-exam-days"');
    expect(home.body).toContain(`id="exam-day-${physics}-${g1202}-exam"`);
    // teacher@ teaches Anatomy, not Physics: not on their home.
    expect((await (await loginAs(t.app, 'teacher@demo.test')).get('/')).body).not.toContain(`id="exam-day-${physics}-${g1202}-exam"`);
  });
});

describe('the session reports', () => {
  it('counts pass rate, average, no-shows and debts per statement, lists debtors and averages, by hand; a dean sees only their faculty', async () => {
    const course = await courseOf(t.store, 'Medical Biology', '1103');
    const group = await groupIdOf(t.store, '1103');
    const termId = (await q<{ id: number }>(sql`SELECT term_id AS id FROM courses WHERE id = ${course}`)).id;
    const dean = await userId(t.store, 'dean@demo.test');
    const agent = await loginAs(t.app, 'dean@demo.test');
    // Before this term has a signed statement, the reports open on the last session's term (the spring's).
    expect((await agent.get('/admin/session-reports')).body).toMatch(/<option value="\d+" selected>Весенний семестр/);
    const s = await Promise.all([0, 1, 2, 3, 4].map((i) => studentOfGroup(t.store, '1103', i)));
    // Five students: 8 and 4 pass, 3 fails, one no-show without a reason, one with: 2 of 5 passed, average (8+4+3)/3 = 5, 2 no-shows, 2 debts.
    const results: [number, string, number | null][] = [[s[0]!, 'mark', 8], [s[1]!, 'mark', 4], [s[2]!, 'mark', 3], [s[3]!, 'absent_unexcused', null], [s[4]!, 'absent_excused', null]];
    await t.store.tx(async (tx) => {
      const st = (await tx.get<{ id: number }>(sql`INSERT INTO statements (number, course_id, group_id, kind, date, attempt, status, opened_by)
        VALUES ('2027-9901', ${course}, ${group}, 'exam', '2027-01-20', 1, 'countersigned', ${dean}) RETURNING id`))!.id;
      for (const [sid, outcome, mark] of results) {
        await tx.run(sql`INSERT INTO statement_results (statement_id, student_id, outcome, mark, final_mark) VALUES (${st}, ${sid}, ${outcome}, ${mark}, ${mark})`);
      }
      for (const [sid, deadline] of [[s[2]!, '2026-11-20'], [s[3]!, '2027-02-10']] as const) {
        await tx.run(sql`INSERT INTO academic_debts (student_id, course_id, statement_id, deadline) VALUES (${sid}, ${course}, ${st}, ${deadline})`);
      }
    });
    const qs = `term=${termId}&group=${group}`;
    const csv = async (table: string, a = agent, query = qs) => {
      const res = await a.get(`/admin/session-reports.csv?${query}&table=${table}`);
      expect(res.statusCode).toBe(200);
      return res.body.replace(/^\uFEFF/, '').trim().split('\r\n').map(cells);
    };
    const results1103 = await csv('results');
    expect(results1103[0]).toEqual(['Группа', 'Дисциплина', 'Вид', 'Ведомость', 'День', 'Состояние', 'Студентов', 'Сдали', 'Сдали, %', 'Средний балл', 'Неявки', 'Задолженности']);
    const line = results1103.find((r) => r[3] === '2027-9901')!;
    expect(line.slice(6)).toEqual(['5', '2', '40', '5', '2', '2']);

    const debtors = await csv('debtors');
    expect(debtors.length).toBe(3); // the header and the two who owe
    const byDeadline = debtors.slice(1).map((r) => [r[2], r[3], r[4]]).sort();
    expect(byDeadline).toEqual([['1', '0', '2027-02-10'], ['1', '1', '2026-11-20']].sort());

    const averages = await csv('averages');
    const avg = averages.slice(1).map((r) => r[3]).filter((v) => v !== '');
    expect(avg).toEqual(['8', '4']); // sorted by the term average, best first; 3 failed: no average
    const page = await agent.get(`/admin/session-reports?${qs}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('2027-9901');
    expect(page.body).toContain('id="session-averages"');
    const xlsx = await agent.get(`/admin/session-reports.xlsx?${qs}`);
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.headers['content-type']).toContain('spreadsheetml');

    // Another faculty's dean: the group filter is dropped, none of this faculty's rows shown; the university admin sees them.
    const fis = await loginAs(t.app, 'dean-fis@demo.test');
    expect((await fis.get(`/admin/session-reports?${qs}`)).body).not.toContain('2027-9901');
    expect((await csv('debtors', fis)).flat()).not.toContain('1103');
    const admin = await loginAs(t.app, 'admin@demo.test');
    expect((await admin.get(`/admin/session-reports?term=${termId}`)).body).toContain('2027-9901');
    expect((await (await loginAs(t.app, 'teacher@demo.test')).get('/admin/session-reports')).statusCode).toBe(404);
  });
});
