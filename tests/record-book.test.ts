// The record book and debts (issue 16, items 3–4, 6): the seeded spring term, who sees results (an
// attendance-only guardian: nothing, not even a link), the dean's debtors, XLSX, and a transfer keeping history.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { sql, type SQL } from 'drizzle-orm';
import { makeTestApp, loginAs, userId, type TestApp } from './helpers/app';
import { groupIdOf, linkedChild } from './helpers/lookup';

let t: TestApp;
const q = async <T>(query: SQL) => (await t.store.get<T>(query)) as T;
beforeAll(async () => { t = await makeTestApp(); });
afterAll(async () => { await t.close(); });

describe('the seeded session', () => {
  it('has the spring term signed, retakes with one by a commission of three, two open debts (one overdue), and open exams this term', async () => {
    expect((await q<{ n: number }>(sql`SELECT count(*) AS n FROM statements WHERE status = 'countersigned'`)).n).toBeGreaterThan(8);
    const board = await q<{ id: number; n: number }>(sql`SELECT st.id, (SELECT count(*) FROM statement_examiners e WHERE e.statement_id = st.id) AS n
      FROM statements st WHERE st.attempt = 3`);
    expect(Number(board.n)).toBe(3);
    const open = await t.store.all<{ deadline: string }>(sql`SELECT deadline FROM academic_debts WHERE cleared_at IS NULL ORDER BY deadline`);
    expect(open.length).toBe(2);
    expect((await q<{ n: number }>(sql`SELECT count(*) AS n FROM statements WHERE status = 'open'`)).n).toBeGreaterThan(0);
    const dean = await loginAs(t.app, 'dean@demo.test');
    const list = await dean.get('/debts');
    expect(list.statusCode).toBe(200);
    expect(list.body.match(/id="debtor-\d+"/g)?.length).toBe(2);
    expect(list.body).toContain('class="overdue"');
    expect((await (await loginAs(t.app, 'dean-fis@demo.test')).get('/debts')).body).not.toContain('id="debtor-');
    expect((await (await loginAs(t.app, 'teacher@demo.test')).get('/debts')).statusCode).toBe(404);
  });
});

describe('the record book', () => {
  it('the student sees their own; an attendance-only guardian gets 404 and no hint on the student page; the dean sees it', async () => {
    const son = await linkedChild(t.store, 'teacher-parent@demo.test'); // 1202, an attendance-only link
    const email = (await q<{ email: string }>(sql`SELECT email FROM users WHERE id = ${son}`)).email;
    const own = await (await loginAs(t.app, email)).get(`/students/${son}/record-book`);
    expect(own.statusCode).toBe(200);
    expect(own.body).toMatch(/id="rb-term-\d+"/);
    expect(own.body).toContain('Анатомия человека');
    const parent = await loginAs(t.app, 'teacher-parent@demo.test');
    for (const url of [`/students/${son}/record-book`, `/students/${son}/record-book.xlsx`]) expect((await parent.get(url)).statusCode).toBe(404);
    const page = await parent.get(`/students/${son}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).not.toContain('record-book');
    expect(page.body).not.toContain(`id="debts-${son}"`);
    expect((await (await loginAs(t.app, 'dean@demo.test')).get(`/students/${son}/record-book`)).statusCode).toBe(200);
    expect((await (await loginAs(t.app, 'dean-fis@demo.test')).get(`/students/${son}/record-book`)).statusCode).toBe(404);
    expect((await (await loginAs(t.app, 'teacher@demo.test')).get(`/students/${son}/record-book`)).statusCode).toBe(404);
  });

  it('a full-scope guardian sees the debts and the record book of their child', async () => {
    const debtor = await q<{ studentId: number; email: string }>(sql`SELECT d.student_id AS "studentId", u.email FROM academic_debts d JOIN guardian_links l ON l.student_id = d.student_id
      JOIN users u ON u.id = l.guardian_id WHERE d.cleared_at IS NULL AND l.scope = 'full' AND l.revoked_at IS NULL LIMIT 1`);
    if (!debtor) { // the seed links a guardian to ~30 % of students: give the first debtor one
      const d = await q<{ studentId: number }>(sql`SELECT student_id AS "studentId" FROM academic_debts WHERE cleared_at IS NULL LIMIT 1`);
      await t.store.tx((tx) => tx.run(sql`INSERT INTO guardian_links (guardian_id, student_id, scope, consent, consented_at) SELECT id, ${d.studentId}, 'full', 'dean_recorded', 0
        FROM users WHERE email = 'parent@demo.test'`));
    }
    const row = debtor ?? { studentId: (await q<{ studentId: number }>(sql`SELECT student_id AS "studentId" FROM academic_debts WHERE cleared_at IS NULL LIMIT 1`)).studentId, email: 'parent@demo.test' };
    const g = await loginAs(t.app, row.email);
    const page = await g.get(`/students/${row.studentId}`);
    expect(page.body).toContain(`id="debts-${row.studentId}"`);
    expect(page.body).toMatch(/id="debt-\d+"/);
    expect((await g.get(`/students/${row.studentId}/record-book`)).statusCode).toBe(200);
  });

  it('exports to XLSX, and keeps a transferred student\'s history through the group move', async () => {
    const student = (await q<{ id: number }>(sql`SELECT r.student_id AS id FROM statement_results r JOIN statements st ON st.id = r.statement_id
      JOIN group_memberships m ON m.student_id = r.student_id AND m.to_date IS NULL WHERE st.status = 'countersigned' AND m.group_id = ${await groupIdOf(t.store, '1202')}
      ORDER BY r.student_id DESC LIMIT 1`)).id;
    const dean = await loginAs(t.app, 'dean@demo.test');
    const before = await dean.get(`/students/${student}/record-book`);
    const terms = before.body.match(/id="rb-\d+"/g)!;
    expect(terms.length).toBeGreaterThan(1);
    const xlsx = await dean.get(`/students/${student}/record-book.xlsx`);
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.headers['content-type']).toContain('spreadsheetml');
    expect(xlsx.rawPayload.subarray(0, 2).toString()).toBe('PK');
    const moved = await dean.post(`/admin/people/${student}/group`, { groupId: await groupIdOf(t.store, '1201'), fromDate: '2026-11-20', reason: 'перевод по заявлению' });
    expect(moved.statusCode).toBe(303);
    const after = await dean.get(`/students/${student}/record-book`);
    expect(after.body.match(/id="rb-\d+"/g)).toEqual(terms);
    expect(after.body).toContain('1201');
    expect(await userId(t.store, 'dean@demo.test')).toBeGreaterThan(0);
  });
});

describe('the session calendar and report', () => {
  it("shows the examiner's open statements on their home, the student's coming exams with days left, and per statement figures", async () => {
    const teacher = await loginAs(t.app, 'teacher@demo.test');
    const home = await teacher.get('/');
    expect(home.body).toContain('id="my-statements"');
    const student = (await q<{ id: number }>(sql`SELECT r.student_id AS id FROM statement_results r JOIN statements st ON st.id = r.statement_id WHERE st.status = 'open' LIMIT 1`)).id;
    const page = await (await loginAs(t.app, 'dean@demo.test')).get(`/students/${student}`);
    expect(page.body).toContain(`id="exams-${student}"`);
    expect(page.body).toMatch(/экзамен через \d+ д/); // the session calendar plans the day of the open statement
    const spring = (await q<{ courseId: number; total: number; passed: number }>(sql`SELECT st.course_id AS "courseId", count(*) AS total,
      sum(CASE WHEN r.outcome = 'mark' AND r.mark >= 4 THEN 1 ELSE 0 END) AS passed FROM statements st JOIN statement_results r ON r.statement_id = st.id
      WHERE st.attempt = 3 GROUP BY st.course_id`));
    const report = await (await loginAs(t.app, 'dean@demo.test')).get(`/courses/${spring.courseId}/statements`);
    expect(report.statusCode).toBe(200);
    expect(report.body).toContain('Сдали');
    expect(report.body).toMatch(/<td class="num">\d+ %<\/td>/);
  });
});
