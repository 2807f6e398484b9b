import { inArray, sql, type SQL } from 'drizzle-orm';
import type { Queryable } from '../store';

export type ScopedStudent = { id: number; surname: string; givenName: string; nameLatin: string | null; groupId: number; groupName: string; facultyId: number };

/** The current students of these faculties (of one group of them, with `groupId`), by group and name. */
export async function studentsInFaculties(s: Queryable, facultyIds: number[] | 'all', groupId: number | null = null): Promise<ScopedStudent[]> {
  const rows = await s.all<ScopedStudent>(sql`SELECT u.id, u.surname, u.given_name AS "givenName", u.name_latin AS "nameLatin",
      g.id AS "groupId", g.name AS "groupName", g.faculty_id AS "facultyId"
    FROM group_memberships m JOIN users u ON u.id = m.student_id JOIN groups g ON g.id = m.group_id
    WHERE m.to_date IS NULL ${groupId === null ? sql`` : sql`AND m.group_id = ${groupId}`} ORDER BY g.name, u.surname, u.given_name`);
  return facultyIds === 'all' ? rows : rows.filter((r) => facultyIds.includes(r.facultyId));
}

/** `AND g.faculty_id IN (…)` for a faculty list; nothing for the whole university. Callers return early on []. */
const inFaculties = (facultyIds: number[] | 'all'): SQL => (facultyIds === 'all' ? sql`` : sql`AND ${inArray(sql`g.faculty_id`, facultyIds)}`);

/**
 * What a report counts: the admin's faculties (or one of them), optionally one group and a set of courses
 * (a course filter, or a teacher's courses). Figures count only lessons and students of the groups left.
 */
export type ReportScope = { facultyIds: number[] | 'all'; groupId: number | null; courseIds: number[] | null };

const isEmpty = (r: ReportScope) => (r.facultyIds !== 'all' && r.facultyIds.length === 0) || (r.courseIds !== null && r.courseIds.length === 0);

/** The scope's conditions on `c` (courses) and `cg` (course_groups) joined to `g` (groups). */
const inScope = (r: ReportScope): SQL => sql`${inFaculties(r.facultyIds)}${r.groupId === null ? sql`` : sql` AND cg.group_id = ${r.groupId}`}${
  r.courseIds === null ? sql`` : sql` AND ${inArray(sql`c.id`, r.courseIds)}`}`;

/** The term's courses in scope with a group of `groupId` or a teacher `teacherId` (either null: any). */
export async function reportCourseIds(s: Queryable, facultyIds: number[] | 'all', termId: number, f: { groupId: number | null; teacherId: number | null }): Promise<number[]> {
  if (facultyIds !== 'all' && facultyIds.length === 0) return [];
  const rows = await s.all<{ id: number }>(sql`SELECT DISTINCT c.id FROM courses c JOIN course_groups cg ON cg.course_id = c.id JOIN groups g ON g.id = cg.group_id
    WHERE c.term_id = ${termId} ${inFaculties(facultyIds)}${f.groupId === null ? sql`` : sql` AND cg.group_id = ${f.groupId}`}
      ${f.teacherId === null ? sql`` : sql`AND EXISTS (SELECT 1 FROM course_teachers ct WHERE ct.course_id = c.id AND ct.teacher_id = ${f.teacherId})`} ORDER BY c.id`);
  return rows.map((r) => r.id);
}

/** Binary (code-unit) order, as SQLite's ORDER BY compares text. */
const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export type CompletenessRow = { teacherId: number; teacher: string; department: string; departmentEn: string; missing: number; oldest: string | null };

/**
 * Lessons held at least `days` days ago that still have no attendance, by teacher and department.
 * Only lessons of groups in scope count, so a teacher of two faculties shows each dean their own.
 * One row per teacher: a teacher of several departments' subjects is shown with the department of
 * most of the missing lessons (a lesson is one course's, so the counts add up).
 */
export async function completeness(s: Queryable, scope: ReportScope, termId: number, today: string, days: number): Promise<CompletenessRow[]> {
  if (isEmpty(scope)) return [];
  const cutoff = new Date(Date.parse(`${today}T00:00:00Z`) - days * 86_400_000).toISOString().slice(0, 10);
  const rows = await s.all<CompletenessRow>(sql`SELECT ct.teacher_id AS "teacherId", u.surname || ' ' || u.given_name AS teacher,
      d.name_ru AS department, d.name_en AS "departmentEn", count(DISTINCT l.id) AS missing, min(l.date) AS oldest
    FROM lessons l JOIN courses c ON c.id = l.course_id JOIN course_teachers ct ON ct.course_id = c.id JOIN users u ON u.id = ct.teacher_id
    JOIN subjects s ON s.id = c.subject_id JOIN departments d ON d.id = s.department_id
    JOIN course_groups cg ON cg.course_id = c.id AND (l.group_id IS NULL OR l.group_id = cg.group_id) JOIN groups g ON g.id = cg.group_id
    WHERE c.term_id = ${termId} AND l.cancelled = ${false} AND l.date <= ${cutoff} AND (ct.role = 'lecturer' OR l.group_id IS NOT NULL)
      ${inScope(scope)}
      AND NOT EXISTS (SELECT 1 FROM attendance a WHERE a.lesson_id = l.id)
    GROUP BY ct.teacher_id, u.surname, u.given_name, d.id, d.name_ru, d.name_en ORDER BY ct.teacher_id, missing DESC, d.id`);
  const byTeacher = new Map<number, CompletenessRow>();
  for (const r of rows) {
    const t = byTeacher.get(r.teacherId);
    if (!t) byTeacher.set(r.teacherId, { ...r, missing: Number(r.missing) });
    else {
      t.missing += Number(r.missing);
      if (r.oldest !== null && (t.oldest === null || r.oldest < t.oldest)) t.oldest = r.oldest;
    }
  }
  return [...byTeacher.values()].sort((a, b) => b.missing - a.missing || byText(a.teacher, b.teacher));
}

// The per-course and per-teacher figures count only students of groups in the admin's faculties
// (membership on the lesson's date, so a transferred student counts where they studied): a course
// shared with another faculty must not leak that faculty's numbers.
const scopeCte = (scope: ReportScope, termId: number) => sql`scoped(course_id, group_id) AS (
    SELECT cg.course_id, cg.group_id FROM course_groups cg JOIN courses c ON c.id = cg.course_id JOIN groups g ON g.id = cg.group_id
    WHERE c.term_id = ${termId} ${inScope(scope)}),
  held(id, course_id, group_id, date) AS (
    SELECT l.id, l.course_id, l.group_id, l.date FROM lessons l WHERE l.cancelled = ${false} AND l.course_id IN (SELECT course_id FROM scoped)),
  rec(lesson_id, course_id, student_id, lesson_group) AS (
    SELECT DISTINCT h.id, h.course_id, m.student_id, h.group_id FROM held h JOIN scoped s ON s.course_id = h.course_id AND (h.group_id IS NULL OR h.group_id = s.group_id)
    JOIN group_memberships m ON m.group_id = s.group_id AND m.from_date <= h.date AND (m.to_date IS NULL OR m.to_date >= h.date))`;

const absentShare = sql`round(100.0 * sum(CASE WHEN a.status = 'absent' THEN 1 ELSE 0 END) / count(*), 1)`;

export type CourseReportRow = {
  courseId: number; subjectRu: string; subjectEn: string; scaleKind: 'points' | 'pass_fail'; scaleMax: number;
  groups: string; teachers: string; students: number; avgMark: number | null; absentPercent: number | null;
};

/**
 * Each course of the term with a group in scope: head-count, average mark (points scales only), absence
 * rate. Three queries: the figures, the in-scope groups and the teachers (joined into lists here, in order).
 */
export async function courseReport(s: Queryable, scope: ReportScope, termId: number): Promise<CourseReportRow[]> {
  if (isEmpty(scope)) return [];
  const cte = scopeCte(scope, termId);
  const rows = await s.all<Omit<CourseReportRow, 'groups' | 'teachers'>>(sql`WITH ${cte}
    SELECT c.id AS "courseId", sub.name_ru AS "subjectRu", sub.name_en AS "subjectEn", sc.kind AS "scaleKind", sc.max AS "scaleMax",
      (SELECT count(DISTINCT m.student_id) FROM scoped s JOIN group_memberships m ON m.group_id = s.group_id AND m.to_date IS NULL WHERE s.course_id = c.id) AS students,
      CASE WHEN sc.kind = 'points' THEN (SELECT round(avg(mk.value), 2) FROM rec r JOIN marks mk ON mk.lesson_id = r.lesson_id AND mk.student_id = r.student_id
        WHERE r.course_id = c.id AND mk.value IS NOT NULL) END AS "avgMark",
      (SELECT ${absentShare} FROM rec r JOIN attendance a ON a.lesson_id = r.lesson_id AND a.student_id = r.student_id
        WHERE r.course_id = c.id AND a.status IS NOT NULL) AS "absentPercent"
    FROM courses c JOIN subjects sub ON sub.id = c.subject_id JOIN scales sc ON sc.id = c.scale_id
    WHERE c.id IN (SELECT course_id FROM scoped) ORDER BY c.id`);
  const groupRows = await s.all<{ courseId: number; name: string }>(sql`WITH ${cte}
    SELECT s.course_id AS "courseId", g.name FROM scoped s JOIN groups g ON g.id = s.group_id ORDER BY s.course_id, g.name`);
  const teacherRows = await s.all<{ courseId: number; name: string }>(sql`SELECT ct.course_id AS "courseId", u.surname || ' ' || substr(u.given_name, 1, 1) || '.' AS name
    FROM course_teachers ct JOIN users u ON u.id = ct.teacher_id JOIN courses c ON c.id = ct.course_id
    WHERE c.term_id = ${termId} ORDER BY ct.course_id, CASE WHEN ct.role = 'assistant' THEN 1 ELSE 0 END, u.surname`);
  const listOf = (list: { courseId: number; name: string }[]) => {
    const m = new Map<number, string[]>();
    for (const r of list) {
      const names = m.get(r.courseId);
      if (names) names.push(r.name);
      else m.set(r.courseId, [r.name]);
    }
    return (courseId: number) => m.get(courseId)?.join(', ') ?? null;
  };
  const groupsOf = listOf(groupRows);
  const teachersOf = listOf(teacherRows);
  return rows
    .map((r) => ({ ...r, groups: groupsOf(r.courseId) as string, teachers: teachersOf(r.courseId) as string }))
    .sort((a, b) => byText(a.subjectRu, b.subjectRu) || byText(a.groups ?? '', b.groups ?? ''));
}

export type TeacherReportRow = { teacherId: number; teacher: string; courses: number; avgMark10: number | null; absentPercent: number | null; missing: number };

/**
 * Each teacher of an in-scope course. A lecturer answers for all of a course's lessons, an assistant
 * for the group lessons (the same attribution as completeness()). Marks are brought to a 10-point
 * scale (value × 10 / max) so courses on different scales can share one average.
 */
export async function teacherReport(s: Queryable, scope: ReportScope, termId: number, today: string): Promise<TeacherReportRow[]> {
  if (isEmpty(scope)) return [];
  return s.all<TeacherReportRow>(sql`WITH ${scopeCte(scope, termId)},
    taught(teacher_id, lesson_id, course_id, lesson_group) AS (
      SELECT DISTINCT ct.teacher_id, h.id, h.course_id, h.group_id FROM held h JOIN course_teachers ct ON ct.course_id = h.course_id
      WHERE ct.role = 'lecturer' OR h.group_id IS NOT NULL)
    SELECT u.id AS "teacherId", u.surname || ' ' || u.given_name AS teacher,
      (SELECT count(*) FROM course_teachers x WHERE x.teacher_id = u.id AND x.course_id IN (SELECT course_id FROM scoped)) AS courses,
      (SELECT round(avg(10.0 * mk.value / sc.max), 2) FROM taught tt JOIN rec r ON r.lesson_id = tt.lesson_id
        JOIN marks mk ON mk.lesson_id = r.lesson_id AND mk.student_id = r.student_id JOIN courses c ON c.id = tt.course_id JOIN scales sc ON sc.id = c.scale_id
        WHERE tt.teacher_id = u.id AND sc.kind = 'points' AND mk.value IS NOT NULL) AS "avgMark10",
      (SELECT ${absentShare} FROM taught tt JOIN rec r ON r.lesson_id = tt.lesson_id
        JOIN attendance a ON a.lesson_id = r.lesson_id AND a.student_id = r.student_id WHERE tt.teacher_id = u.id AND a.status IS NOT NULL) AS "absentPercent",
      (SELECT count(*) FROM taught tt JOIN held h ON h.id = tt.lesson_id WHERE tt.teacher_id = u.id AND h.date < ${today}
        AND (h.group_id IS NULL OR h.group_id IN (SELECT group_id FROM scoped WHERE course_id = h.course_id))
        AND NOT EXISTS (SELECT 1 FROM attendance a WHERE a.lesson_id = h.id)) AS missing
    FROM users u WHERE u.id IN (SELECT ct.teacher_id FROM course_teachers ct WHERE ct.course_id IN (SELECT course_id FROM scoped))
    ORDER BY u.surname, u.given_name`);
}

export type ReportChoices = {
  courses: { id: number; subjectRu: string; subjectEn: string; groups: string }[];
  teachers: { id: number; name: string }[];
};

/** What the report filters offer: the term's courses in scope (with their in-scope groups) and their teachers. */
export async function reportChoices(s: Queryable, facultyIds: number[] | 'all', termId: number): Promise<ReportChoices> {
  if (facultyIds !== 'all' && facultyIds.length === 0) return { courses: [], teachers: [] };
  const rows = await s.all<{ id: number; subjectRu: string; subjectEn: string; groupName: string }>(sql`SELECT c.id, sub.name_ru AS "subjectRu",
      sub.name_en AS "subjectEn", g.name AS "groupName"
    FROM courses c JOIN subjects sub ON sub.id = c.subject_id JOIN course_groups cg ON cg.course_id = c.id JOIN groups g ON g.id = cg.group_id
    WHERE c.term_id = ${termId} ${inFaculties(facultyIds)} ORDER BY sub.name_ru, c.id, g.name`);
  const courses = new Map<number, ReportChoices['courses'][number]>();
  for (const r of rows) {
    const c = courses.get(r.id);
    if (c) c.groups += `, ${r.groupName}`;
    else courses.set(r.id, { id: r.id, subjectRu: r.subjectRu, subjectEn: r.subjectEn, groups: r.groupName });
  }
  const ids = [...courses.keys()];
  const teachers = ids.length === 0 ? [] : await s.all<{ id: number; name: string }>(sql`SELECT DISTINCT u.id, u.surname || ' ' || u.given_name AS name, u.surname, u.given_name
    FROM course_teachers ct JOIN users u ON u.id = ct.teacher_id WHERE ${inArray(sql`ct.course_id`, ids)} ORDER BY u.surname, u.given_name, u.id`);
  return { courses: [...courses.values()], teachers: teachers.map((x) => ({ id: x.id, name: x.name })) };
}
