// Credit recognition after a mobility placement (issue 17): the dean's office records the marks earned at
// the partner against the student's own courses; the record book shows them, the partner named.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { sql } from 'drizzle-orm';
import { makeTestApp, loginAs, type TestApp, type Agent } from './helpers/app';
import { countOf, courseOf, linkedChild } from './helpers/lookup';

let t: TestApp;
beforeAll(async () => { t = await makeTestApp(); });
afterAll(async () => { await t.close(); });

const count = (q: ReturnType<typeof sql>) => countOf(t.store, q);
const idOf = async (email: string) => (await t.store.get<{ id: number }>(sql`SELECT id FROM users WHERE email = ${email}`))!.id;
const follow = async (a: Agent, res: { statusCode: number; headers: Record<string, unknown>; body: string }) => {
  expect(res.statusCode, res.body.slice(0, 400)).toBe(303);
  return a.get(String(res.headers.location));
};
const SECHENOV_RU = 'Первый МГМУ им. И. М. Сеченова';

/** A selected application of the student to a call at Sechenov University, and its placement (as the placement route writes it). */
async function placementOf(studentId: number): Promise<number> {
  return t.store.tx(async (tx) => {
    const g = (await tx.get<{ facultyId: number; year: number }>(sql`SELECT g.faculty_id AS "facultyId", g.year FROM group_memberships m JOIN groups g ON g.id = m.group_id
      WHERE m.student_id = ${studentId} AND m.to_date IS NULL`))!;
    const partner = (await tx.get<{ id: number }>(sql`SELECT id FROM mobility_partners WHERE name_en LIKE 'I. M. Sechenov%'`))!.id;
    const call = (await tx.get<{ id: number }>(sql`INSERT INTO mobility_calls (partner_id, from_date, to_date, programme, year, deadline, weights)
      VALUES (${partner}, '2026-10-05', '2026-10-18', 'degree', ${g.year}, '2026-09-20', '{}') RETURNING id`))!.id;
    await tx.run(sql`INSERT INTO mobility_quotas (call_id, faculty_id, places) VALUES (${call}, ${g.facultyId}, 2)`);
    const app = (await tx.get<{ id: number }>(sql`INSERT INTO mobility_applications (call_id, student_id, faculty_id, motivation, applied_at, decision, decision_reason)
      VALUES (${call}, ${studentId}, ${g.facultyId}, 'Практика', 0, 'selected', 'Первое место') RETURNING id`))!.id;
    return (await tx.get<{ id: number }>(sql`INSERT INTO mobility_placements (application_id, student_id, partner_id, from_date, to_date, order_number)
      VALUES (${app}, ${studentId}, ${partner}, '2026-10-05', '2026-10-18', '512-с') RETURNING id`))!.id;
  });
}

describe('credit recognition', () => {
  it('the dean\'s office records a mark from the partner; it is audited, replaced on a second entry, and shown in the record book', async () => {
    const studentId = await idOf('student@demo.test');
    const anat = await courseOf(t.store, 'Human Anatomy', '1101');
    const placement = await placementOf(studentId);
    const url = `/admin/mobility/placements/${placement}/recognitions`;
    const dean = await loginAs(t.app, 'dean@demo.test');
    const page = await dean.get(url);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Пока ничего не перезачтено');
    expect(page.body).toContain(`<option value="${anat}">`);

    const saved = await follow(dean, await dean.post(url, { courseId: anat, partnerCourse: 'Нормальная анатомия', partnerGrade: '5 (отлично)', mark: 9 }));
    expect(saved.body).toContain('Перезачёт записан');
    expect(saved.body).toContain(`id="recognition-${anat}"`);
    expect(saved.body).toContain('5 (отлично)');
    const row = await t.store.get<{ outcome: string; mark: number; partnerId: number }>(sql`SELECT outcome, mark, partner_id AS "partnerId"
      FROM mobility_recognitions WHERE student_id = ${studentId} AND course_id = ${anat}`);
    expect(row).toMatchObject({ outcome: 'mark', mark: 9 });
    const audit = await t.store.get<{ courseId: number; studentId: number; before: string | null }>(sql`SELECT course_id AS "courseId",
      student_id AS "studentId", before FROM audit_log WHERE action = 'mobility_recognition.set' ORDER BY id DESC LIMIT 1`);
    expect(audit).toMatchObject({ courseId: anat, studentId, before: null });

    // The record book, reloaded: the course's result is the recognised mark, the partner named, for the student and the dean alike.
    const student = await loginAs(t.app, 'student@demo.test');
    for (const a of [student, dean]) {
      const book = await a.get(`/students/${studentId}/record-book`);
      expect(book.statusCode).toBe(200);
      const cell = new RegExp(`<tr id="rb-${anat}">[\\s\\S]*?</tr>`).exec(book.body)?.[0] ?? '';
      expect(cell).toContain(`перезачтено (${SECHENOV_RU})`);
      expect(cell).toContain('>9 <small');
    }
    await t.store.run(sql`UPDATE users SET lang = 'en' WHERE id = ${studentId}`);
    const en = await (await loginAs(t.app, 'student@demo.test')).get(`/students/${studentId}/record-book`);
    expect(en.body).toContain('recognised (I. M. Sechenov First Moscow State Medical University');
    const xlsx = await student.get(`/students/${studentId}/record-book.xlsx`);
    expect(xlsx.statusCode).toBe(200);
    await t.store.run(sql`UPDATE users SET lang = 'ru' WHERE id = ${studentId}`);

    // A second entry for the course replaces the first; the audit row keeps what it was.
    await follow(dean, await dean.post(url, { courseId: anat, partnerCourse: 'Нормальная анатомия', partnerGrade: '4 (хорошо)', mark: 8 }));
    expect(await count(sql`SELECT count(*) AS n FROM mobility_recognitions WHERE student_id = ${studentId}`)).toBe(1);
    const second = await t.store.get<{ before: string; after: string }>(sql`SELECT before, after FROM audit_log WHERE action = 'mobility_recognition.set' ORDER BY id DESC LIMIT 1`);
    expect(JSON.parse(second!.before)).toMatchObject({ mark: 9, partnerGrade: '5 (отлично)' });
    expect(JSON.parse(second!.after)).toMatchObject({ mark: 8, partnerGrade: '4 (хорошо)' });
    expect((await student.get(`/students/${studentId}/record-book`)).body).toMatch(new RegExp(`<tr id="rb-${anat}">[\\s\\S]*?>8 <small`));
  });

  it('refuses another faculty\'s dean, the student, a course the student does not take, a failing mark and missing fields, changing nothing', async () => {
    const studentId = await idOf('student@demo.test');
    const placement = await placementOf(studentId);
    const url = `/admin/mobility/placements/${placement}/recognitions`;
    const hist = await courseOf(t.store, 'Histology', '1101');
    const anatE = await courseOf(t.store, 'Human Anatomy', 'E101');
    const form = { courseId: hist, partnerCourse: 'Гистология', partnerGrade: 'B', mark: 7 };
    const before = await count(sql`SELECT count(*) AS n FROM mobility_recognitions`);
    const audits = await count(sql`SELECT count(*) AS n FROM audit_log WHERE action = 'mobility_recognition.set'`);

    const fis = await loginAs(t.app, 'dean-fis@demo.test');
    expect((await fis.get(url)).statusCode).toBe(404);
    expect((await fis.post(url, form)).statusCode).toBe(404);
    const student = await loginAs(t.app, 'student@demo.test');
    expect((await student.get(url)).statusCode).toBe(404);
    expect((await student.post(url, form)).statusCode).toBe(404);
    expect((await (await loginAs(t.app, 'teacher@demo.test')).post(url, form)).statusCode).toBe(404);

    const dean = await loginAs(t.app, 'dean@demo.test');
    const notTheirs = await dean.post(url, { ...form, courseId: anatE });
    expect(notTheirs.statusCode).toBe(422);
    expect(notTheirs.body).toContain('Студент не изучает эту дисциплину');
    const failing = await dean.post(url, { ...form, mark: 2 });
    expect(failing.statusCode).toBe(422);
    expect(failing.body).toContain('положительная по шкале дисциплины (4–10)');
    const noGrade = await dean.post(url, { ...form, partnerGrade: '  ' });
    expect(noGrade.statusCode).toBe(422);
    expect(noGrade.body).toContain('partnerGrade');
    expect((await dean.post(url, { ...form, mark: 'nine' })).statusCode).toBe(422);
    expect((await dean.post(`/admin/mobility/placements/999999/recognitions`, form)).statusCode).toBe(404);
    // In English for an English-speaking dean's office: dean-fis on its own faculty's student.
    const fisStudent = (await t.store.get<{ id: number }>(sql`SELECT m.student_id AS id FROM group_memberships m JOIN groups g ON g.id = m.group_id
      WHERE g.name = 'E101' AND m.to_date IS NULL LIMIT 1`))!.id;
    const fisUrl = `/admin/mobility/placements/${await placementOf(fisStudent)}/recognitions`;
    const en = await fis.post(fisUrl, { ...form, courseId: hist });
    expect(en.statusCode).toBe(422);
    expect(en.body).toContain('The student does not take this course.');
    // A cancelled placement recognises nothing.
    await t.store.run(sql`UPDATE mobility_placements SET cancelled_at = 1 WHERE id = ${placement}`);
    const cancelled = await dean.post(url, form);
    expect(cancelled.statusCode).toBe(409);
    expect(cancelled.body).toContain('Стажировка отменена');

    expect(await count(sql`SELECT count(*) AS n FROM mobility_recognitions`)).toBe(before);
    expect(await count(sql`SELECT count(*) AS n FROM audit_log WHERE action = 'mobility_recognition.set'`)).toBe(audits);
  });

  it('an attendance-only guardian sees no recognised result; a pass/fail course is credited without a mark', async () => {
    const son = await linkedChild(t.store, 'teacher-parent@demo.test'); // 1202, an attendance-only link
    const placement = await placementOf(son);
    const course = (await t.store.get<{ id: number; kind: string }>(sql`SELECT c.id, sc.kind FROM courses c JOIN scales sc ON sc.id = c.scale_id
      WHERE EXISTS (SELECT 1 FROM course_groups cg JOIN group_memberships m ON m.group_id = cg.group_id WHERE cg.course_id = c.id AND m.student_id = ${son})
      ORDER BY sc.kind, c.id LIMIT 1`))!;
    const dean = await loginAs(t.app, 'dean@demo.test');
    const url = `/admin/mobility/placements/${placement}/recognitions`;
    expect(course.kind).toBe('pass_fail'); // the seed's credits (зачёт) are pass/fail
    expect((await dean.post(url, { courseId: course.id, partnerCourse: 'Physiology', partnerGrade: 'passed', mark: 8 })).body).toContain('без отметки');
    await follow(dean, await dean.post(url, { courseId: course.id, partnerCourse: 'Physiology', partnerGrade: 'passed', mark: '' }));
    expect((await t.store.get<{ outcome: string }>(sql`SELECT outcome FROM mobility_recognitions WHERE course_id = ${course.id} AND student_id = ${son}`))?.outcome).toBe('credit');
    const own = await (await loginAs(t.app, (await t.store.get<{ email: string }>(sql`SELECT email FROM users WHERE id = ${son}`))!.email)).get(`/students/${son}/record-book`);
    expect(own.body).toContain(`перезачтено (${SECHENOV_RU})`);
    const parent = await loginAs(t.app, 'teacher-parent@demo.test');
    for (const u of [`/students/${son}/record-book`, `/students/${son}/record-book.xlsx`]) expect((await parent.get(u)).statusCode).toBe(404);
    for (const u of [`/students/${son}`, '/']) {
      const p = await parent.get(u);
      expect(p.statusCode).toBe(200);
      expect(p.body).not.toContain('перезачтено');
      expect(p.body).not.toContain('Physiology');
    }
  });
});
