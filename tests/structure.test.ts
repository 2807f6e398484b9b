import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { sql, type SQLWrapper } from 'drizzle-orm';
import { makeTestApp, loginAs, userId, type TestApp, type Agent } from './helpers/app';
import { courseOf, groupIdOf, countOf } from './helpers/lookup';
import { TEST_TODAY } from './helpers/constants';
import { studentCourseProgress } from '../server/progress/student-progress';
import { loadJournal } from '../db/queries/journal';

/** The page a form's 303 leads to. */
const follow = async (a: Agent, res: { statusCode: number; headers: Record<string, unknown> }) => {
  expect(res.statusCode).toBe(303);
  return a.get(String(res.headers.location));
};
let t: TestApp;
beforeAll(async () => { t = await makeTestApp(); });
afterAll(async () => { await t.close(); });

const get = async <T>(query: SQLWrapper) => (await t.store.get<T>(query)) as T;
const groupId = (name: string) => groupIdOf(t.store, name);
const count = (query: SQLWrapper) => countOf(t.store, query);
const currentTermId = async () => (await get<{ id: number }>(sql`SELECT term_id AS id FROM courses WHERE id = ${await courseOf(t.store, 'Human Anatomy', '1101')}`)).id;

describe('faculties, departments and groups', () => {
  it("a dean's office adds groups and departments to its own faculty only; faculties are the university's", async () => {
    const dean = await loginAs(t.app, 'dean@demo.test');
    const page = await dean.get('/admin/structure');
    expect(page.body).toContain('id="new-group-1"');
    expect(page.body).not.toContain('id="new-group-2"'); // FIS is not theirs
    expect(page.body).not.toContain('id="new-faculty"');
    const sent = await dean.post('/admin/groups', { facultyId: 1, name: '1104', year: 1, language: 'ru', programme: 'degree' });
    expect(sent.statusCode).toBe(303);
    const res = await dean.get(String(sent.headers.location));
    expect(res.body).toMatch(/<th scope="row">1104<\/th>/);
    expect(await count(sql`SELECT count(*) AS n FROM audit_log WHERE action = 'group.create'`)).toBe(1);
    const groups = await count(sql`SELECT count(*) AS n FROM groups`);
    const dup = await dean.post('/admin/groups', { facultyId: 1, name: '1104', year: 1, language: 'ru', programme: 'degree' });
    expect(dup.statusCode).toBe(422);
    expect(dup.body).toContain('Группа 1104 уже существует');
    const badYear = await dean.post('/admin/groups', { facultyId: 1, name: '1105', year: 12, language: 'ru', programme: 'degree' });
    expect(badYear.statusCode).toBe(422);
    expect(badYear.body).toContain('Проверьте поля: year');
    expect((await dean.post('/admin/groups', { facultyId: 2, name: 'E103', year: 1, language: 'en', programme: 'degree' })).statusCode).toBe(403);
    expect(await count(sql`SELECT count(*) AS n FROM groups`)).toBe(groups);
    expect((await follow(dean, await dean.post('/admin/departments', { facultyId: 1, nameRu: 'Кафедра общей химии', nameEn: 'Department of General Chemistry' }))).body).toContain('Кафедра общей химии');
    expect((await dean.post('/admin/faculties', { code: 'PED', nameRu: 'Педиатрический факультет', nameEn: 'Faculty of Paediatrics' })).statusCode).toBe(403);
    const admin = await loginAs(t.app, 'admin@demo.test');
    expect((await follow(admin, await admin.post('/admin/faculties', { code: 'PED', nameRu: 'Педиатрический факультет', nameEn: 'Faculty of Paediatrics' }))).body).toContain('Педиатрический факультет');
    expect((await admin.post('/admin/faculties', { code: 'ped', nameRu: 'Ещё один', nameEn: 'Another one' })).statusCode).toBe(422);
  });

  it('the university administration opens a term; overlapping or reversed dates are refused with a message', async () => {
    const admin = await loginAs(t.app, 'admin@demo.test');
    const terms = await count(sql`SELECT count(*) AS n FROM terms`);
    const overlap = await admin.post('/admin/terms', { nameRu: 'Весенний семестр 2026/2027', nameEn: 'Spring term 2026/2027', startsOn: '2027-01-15', endsOn: '2027-06-30' });
    expect(overlap.statusCode).toBe(422);
    expect(overlap.body).toContain('пересекаются');
    expect((await admin.post('/admin/terms', { nameRu: 'Весенний семестр', nameEn: 'Spring term', startsOn: '2027-06-30', endsOn: '2027-02-09' })).statusCode).toBe(422);
    expect((await admin.post('/admin/terms', { nameRu: 'Весенний семестр', nameEn: 'Spring term', startsOn: '2027-02-30', endsOn: '2027-06-30' })).statusCode).toBe(422);
    expect(await count(sql`SELECT count(*) AS n FROM terms`)).toBe(terms);
    const ok = await follow(admin, await admin.post('/admin/terms', { nameRu: 'Весенний семестр 2026/2027', nameEn: 'Spring term 2026/2027', startsOn: '2027-02-09', endsOn: '2027-06-30' }));
    expect(ok.statusCode).toBe(200);
    expect(ok.body).toContain('Весенний семестр 2026/2027');
    const dean = await loginAs(t.app, 'dean@demo.test');
    expect((await dean.post('/admin/terms', { nameRu: 'Летний', nameEn: 'Summer', startsOn: '2027-07-01', endsOn: '2027-08-31' })).statusCode).toBe(403);
  });
});

describe('subjects and courses', () => {
  it('a dean sets up a lecture stream of two groups: the lecturer gets the journal, a duplicate and another faculty’s group are refused', async () => {
    const dean = await loginAs(t.app, 'dean@demo.test');
    const subj = await dean.post('/admin/subjects', { departmentId: 6, code: 'BIOETH', nameRu: 'Биоэтика', nameEn: 'Bioethics' });
    expect(subj.statusCode).toBe(303);
    const subjectId = (await get<{ id: number }>(sql`SELECT id FROM subjects WHERE code = 'BIOETH'`)).id;
    const teacher2 = await userId(t.store, 'teacher2@demo.test');
    const form = { termId: await currentTermId(), subjectId, lecturerId: teacher2, assistantId: '', scale: 'pass_fail', minRating: '', absenceCapPercent: 20, absenceWarnPercent: 15, capCounts: 'unexcused', finalRule: 'rating_only', examWeight: 0.5 };
    expect((await dean.post('/admin/courses', { ...form, groupId: await groupId('E101') })).statusCode).toBe(403);
    expect((await dean.post('/admin/courses', { ...form })).statusCode).toBe(422); // no group
    // Two ticked group boxes arrive as a repeated field, as a browser sends them.
    const payload = new URLSearchParams([...Object.entries({ ...form, _csrf: dean.csrf }).map(([k, v]) => [k, String(v)]), ['groupId', String(await groupId('1101'))], ['groupId', String(await groupId('1102'))]]).toString();
    const res = await t.app.inject({ method: 'POST', url: '/admin/courses', payload, headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: Object.entries(dean.cookies).map(([k, v]) => `${k}=${v}`).join('; ') } });
    expect(res.statusCode).toBe(303);
    const courseId = Number(/\/admin\/courses\/(\d+)/.exec(res.headers.location as string)![1]);
    expect(await t.store.all(sql`SELECT g.name FROM course_groups cg JOIN groups g ON g.id = cg.group_id WHERE cg.course_id = ${courseId} ORDER BY g.name`)).toEqual([{ name: '1101' }, { name: '1102' }]);
    const rules = JSON.parse((await get<{ rules: string }>(sql`SELECT rules FROM courses WHERE id = ${courseId}`)).rules);
    expect(rules.admission).toMatchObject({ minRating: null, absenceCapPercent: 20, capCounts: 'unexcused', requireMakeups: false });
    expect(rules.finalRule).toEqual({ kind: 'rating_only', rounding: 'half_up' });
    const dup = await dean.post('/admin/courses', { ...form, groupId: await groupId('1102') });
    expect(dup.statusCode).toBe(422);
    expect(dup.body).toContain('уже ведётся у группы 1102');
    // The stream grows by a group; one of its students shows up in the journal.
    expect((await dean.post(`/admin/courses/${courseId}/groups`, { groupId: await groupId('E101') })).statusCode).toBe(403);
    expect((await dean.post(`/admin/courses/${courseId}/groups`, { groupId: await groupId('1101') })).statusCode).toBe(422);
    const grown = await follow(dean, await dean.post(`/admin/courses/${courseId}/groups`, { groupId: await groupId('1103') }));
    expect(grown.statusCode).toBe(200);
    expect(grown.body).toMatch(/id="course-groups">1101, 1102, 1103</);
    const newcomer = await get<{ surname: string }>(sql`SELECT u.surname FROM group_memberships m JOIN users u ON u.id = m.student_id JOIN groups g ON g.id = m.group_id WHERE g.name = '1103' AND m.to_date IS NULL ORDER BY u.surname LIMIT 1`);
    const lecturer = await loginAs(t.app, 'teacher2@demo.test');
    expect((await loadJournal(t.store, courseId, await groupId('1103')))!.students.map((x) => x.surname)).toContain(newcomer.surname);
    expect((await lecturer.get(`/courses/${courseId}`)).statusCode).toBe(200);
    expect((await lecturer.get('/')).body).toContain('Биоэтика');
    expect((await dean.get('/admin/courses')).body).toContain(`id="course-${courseId}"`);
    const fis = await loginAs(t.app, 'dean-fis@demo.test');
    expect((await fis.get('/admin/courses')).body).not.toContain(`id="course-${courseId}"`);
    expect((await fis.get(`/admin/courses/${courseId}`)).statusCode).toBe(404);
  });

  it('new rules change admission at once; a stale rules form is refused', async () => {
    const dean = await loginAs(t.app, 'dean@demo.test');
    const course = await courseOf(t.store, 'Histology', '1101');
    const student = await userId(t.store, 'student@demo.test');
    const admitted = async () => (await studentCourseProgress(t.store, student, await currentTermId(), TEST_TODAY)).find((c) => c.courseId === course)!.admission;
    const version = (await get<{ version: number }>(sql`SELECT version FROM courses WHERE id = ${course}`)).version;
    const strict = { minRating: 9.9, absenceCapPercent: 30, absenceWarnPercent: 25, capCounts: 'all', requireMakeups: '1', finalRule: 'mean_rating_exam', examWeight: 0.5 };
    // Asked first (issue 14.14): the page counts the students and whose admission the rules take; nothing changes yet.
    const ask = await dean.post(`/admin/courses/${course}/rules`, { ...strict, version });
    expect(ask.statusCode).toBe(200);
    const students = await count(sql`SELECT count(DISTINCT m.student_id) AS n FROM course_groups cg JOIN group_memberships m ON m.group_id = cg.group_id AND m.to_date IS NULL WHERE cg.course_id = ${course}`);
    const wereAdmitted = (await admitted()).admitted;
    expect(ask.body).toContain(`Правила сразу применятся к ${students} студент`);
    expect(ask.body).toMatch(/id="rules-lose">С этими правилами \d+ студент\S* теря\S+ допуск/);
    expect(ask.body).toContain('name="confirm" value="1"');
    expect(ask.body).toContain('name="minRating" value="9.9"');
    expect((await admitted()).admitted).toBe(wereAdmitted);
    expect(await count(sql`SELECT count(*) AS n FROM audit_log WHERE action = 'course.rules' AND course_id = ${course}`)).toBe(0);
    const ft = /name="ft" value="([^"]+)"/.exec(ask.body.slice(ask.body.indexOf('id="rules-confirm"')))![1]!;
    const res = await dean.post(`/admin/courses/${course}/rules`, { ...strict, version, confirm: '1', ft });
    expect(res.statusCode).toBe(303);
    // The confirmation sent again (a reload): the first outcome, saying so, and no second change.
    const again = await dean.post(`/admin/courses/${course}/rules`, { ...strict, version, confirm: '1', ft });
    expect(again.headers.location).toBe(`${res.headers.location}&again=1`);
    expect((await admitted()).admitted).toBe(false);
    expect((await admitted()).reasons.map((r) => r.code)).toContain('admission.ratingBelow');
    expect((await dean.post(`/admin/courses/${course}/rules`, { ...strict, minRating: 1, version, confirm: '1' })).statusCode).toBe(409);
    expect((await dean.post(`/admin/courses/${course}/rules`, { ...strict, minRating: 1, version })).statusCode).toBe(409); // the preview too
    expect((await admitted()).admitted).toBe(false);
    expect(await count(sql`SELECT count(*) AS n FROM audit_log WHERE action = 'course.rules' AND course_id = ${course}`)).toBe(1);
  });

  it('assistants are added and removed; the last lecturer stays; the journal follows', async () => {
    const admin = await loginAs(t.app, 'admin@demo.test');
    const course = await courseOf(t.store, 'Human Anatomy', '1101');
    const tp = await userId(t.store, 'teacher-parent@demo.test');
    const teacherParent = await loginAs(t.app, 'teacher-parent@demo.test');
    expect((await teacherParent.get(`/courses/${course}`)).statusCode).toBe(404);
    expect((await admin.post(`/admin/courses/${course}/teachers`, { teacherId: tp, role: 'assistant' })).statusCode).toBe(303);
    expect((await admin.post(`/admin/courses/${course}/teachers`, { teacherId: tp, role: 'assistant' })).statusCode).toBe(422);
    expect((await teacherParent.get(`/courses/${course}`)).statusCode).toBe(200);
    expect((await admin.post(`/admin/courses/${course}/teachers/${tp}/remove`, {})).statusCode).toBe(303);
    expect((await teacherParent.get(`/courses/${course}`)).statusCode).toBe(404);
    const lecturers = await t.store.all<{ id: number }>(sql`SELECT teacher_id AS id FROM course_teachers WHERE course_id = ${course} AND role = 'lecturer'`);
    if (lecturers.length === 1) {
      const last = await admin.post(`/admin/courses/${course}/teachers/${lecturers[0].id}/remove`, {});
      expect(last.statusCode).toBe(422);
      expect(last.body).toContain('хотя бы один лектор');
    }
    expect(lecturers.length).toBeGreaterThan(0);
  });
});
