import { sql } from 'drizzle-orm';
import type { Queryable } from '../store';
import { listAgg } from '../sql-dialect';
import { appendAudit } from './audit';
import type { Actor } from './records';
import type { CourseRules } from '../../server/domain/types';

// Subjects and courses as the dean's office sets up a term: which subject, to which groups, by whom,
// on which scale and under which admission and final-mark rules.

export type CourseListRow = {
  id: number; subjectRu: string; subjectEn: string; scale: string; groups: string; facultyIds: string;
  lecturers: string | null; assistants: string | null; students: number;
};

export async function coursesOfTerm(s: Queryable, termId: number, facultyIds: number[] | 'all'): Promise<CourseListRow[]> {
  const initials = sql`u.surname || ' ' || substr(u.given_name, 1, 1) || '.'`;
  const rows = await s.all<CourseListRow>(sql`SELECT c.id, s.name_ru AS "subjectRu", s.name_en AS "subjectEn", sc.code AS scale,
      (SELECT ${listAgg(s, sql`g.name`, ', ')} FROM course_groups cg JOIN groups g ON g.id = cg.group_id WHERE cg.course_id = c.id) AS "groups",
      (SELECT ${listAgg(s, sql`g.faculty_id`, ',', { distinct: true })} FROM course_groups cg JOIN groups g ON g.id = cg.group_id WHERE cg.course_id = c.id) AS "facultyIds",
      (SELECT ${listAgg(s, initials, ', ')} FROM course_teachers ct JOIN users u ON u.id = ct.teacher_id WHERE ct.course_id = c.id AND ct.role = 'lecturer') AS lecturers,
      (SELECT ${listAgg(s, initials, ', ')} FROM course_teachers ct JOIN users u ON u.id = ct.teacher_id WHERE ct.course_id = c.id AND ct.role = 'assistant') AS assistants,
      (SELECT count(*) FROM course_groups cg JOIN group_memberships m ON m.group_id = cg.group_id AND m.to_date IS NULL WHERE cg.course_id = c.id) AS students
    FROM courses c JOIN subjects s ON s.id = c.subject_id JOIN scales sc ON sc.id = c.scale_id
    WHERE c.term_id = ${termId} ORDER BY s.name_ru, "groups"`);
  return facultyIds === 'all' ? rows : rows.filter((r) => (r.facultyIds ?? '').split(',').some((f) => facultyIds.includes(Number(f))));
}

export type SubjectChoice = { id: number; code: string; nameRu: string; nameEn: string; departmentId: number; facultyId: number };
export type TeacherChoice = { id: number; surname: string; givenName: string; nameLatin: string | null; patronymic: string | null; departmentRu: string | null; departmentEn: string | null };

/** The subject catalogue is the university's: any faculty teaches any department's subject. */
export async function subjectChoices(s: Queryable): Promise<SubjectChoice[]> {
  return s.all<SubjectChoice>(sql`SELECT s.id, s.code, s.name_ru AS "nameRu", s.name_en AS "nameEn", s.department_id AS "departmentId", d.faculty_id AS "facultyId"
    FROM subjects s JOIN departments d ON d.id = s.department_id ORDER BY s.name_ru`);
}

/**
 * Teachers of every department: an English-medium faculty borrows the departments' staff. One row per
 * teacher; a teacher of several departments is shown with the department of their first grant.
 */
export async function teacherChoices(s: Queryable): Promise<TeacherChoice[]> {
  const rows = await s.all<TeacherChoice>(sql`SELECT u.id, u.surname, u.given_name AS "givenName", u.name_latin AS "nameLatin", u.patronymic, d.name_ru AS "departmentRu", d.name_en AS "departmentEn"
    FROM user_roles r JOIN users u ON u.id = r.user_id LEFT JOIN departments d ON d.id = r.department_id
    WHERE r.role = 'teacher' AND u.disabled = ${false} ORDER BY u.surname, u.given_name, u.id, r.id`);
  const first = new Map<number, TeacherChoice>();
  for (const r of rows) if (!first.has(r.id)) first.set(r.id, r);
  return [...first.values()];
}

export async function subjectCodeTaken(s: Queryable, code: string): Promise<boolean> {
  return !!(await s.get(sql`SELECT 1 AS one FROM subjects WHERE lower(code) = lower(${code})`));
}

export async function createSubject(s: Queryable, subj: { departmentId: number; code: string; nameRu: string; nameEn: string }, actor: Actor, now: number): Promise<number> {
  return s.tx(async (tx) => {
    const { id } = (await tx.get<{ id: number }>(sql`INSERT INTO subjects (department_id, code, name_ru, name_en, updated_by, updated_at)
      VALUES (${subj.departmentId}, ${subj.code}, ${subj.nameRu}, ${subj.nameEn}, ${actor.id}, ${now}) RETURNING id`))!;
    await appendAudit(tx, { actorId: actor.id, actorRole: actor.role, ip: actor.ip, at: now, action: 'subject.create', entity: 'subject', entityId: id, after: subj });
    return id;
  });
}

/** The group that already takes this subject in this term, if any: one journal per subject and group. */
export async function duplicateCourseGroup(s: Queryable, subjectId: number, termId: number, groupIds: number[]): Promise<string | undefined> {
  for (const g of groupIds) {
    const row = await s.get<{ name: string }>(sql`SELECT g.name FROM courses c JOIN course_groups cg ON cg.course_id = c.id JOIN groups g ON g.id = cg.group_id
      WHERE c.subject_id = ${subjectId} AND c.term_id = ${termId} AND cg.group_id = ${g}`);
    if (row) return row.name;
  }
  return undefined;
}

export type NewCourse = { subjectId: number; termId: number; scaleCode: string; groupIds: number[]; lecturerId: number; assistantIds: number[]; rules: CourseRules };

export async function createCourse(s: Queryable, c: NewCourse, actor: Actor, now: number): Promise<number> {
  return s.tx(async (tx) => {
    const scale = (await tx.get<{ id: number }>(sql`SELECT id FROM scales WHERE code = ${c.scaleCode}`))!;
    const { id } = (await tx.get<{ id: number }>(sql`INSERT INTO courses (subject_id, term_id, scale_id, rules, updated_by, updated_at)
      VALUES (${c.subjectId}, ${c.termId}, ${scale.id}, ${JSON.stringify(c.rules)}, ${actor.id}, ${now}) RETURNING id`))!;
    for (const g of c.groupIds) await tx.run(sql`INSERT INTO course_groups (course_id, group_id) VALUES (${id}, ${g})`);
    await tx.run(sql`INSERT INTO course_teachers (course_id, teacher_id, role) VALUES (${id}, ${c.lecturerId}, 'lecturer')`);
    for (const a of c.assistantIds.filter((x) => x !== c.lecturerId)) {
      await tx.run(sql`INSERT INTO course_teachers (course_id, teacher_id, role) VALUES (${id}, ${a}, 'assistant') ON CONFLICT DO NOTHING`);
    }
    await appendAudit(tx, { actorId: actor.id, actorRole: actor.role, ip: actor.ip, at: now, action: 'course.create', entity: 'course', entityId: id, courseId: id, after: c });
    return id;
  });
}

export type CourseSettings = {
  id: number; termId: number; termLocked: boolean; subjectRu: string; subjectEn: string; scale: string; rules: string; version: number;
  groups: { id: number; name: string; facultyId: number }[];
  teachers: { id: number; surname: string; givenName: string; nameLatin: string | null; patronymic: string | null; role: 'lecturer' | 'assistant' }[];
};

export async function courseSettings(s: Queryable, courseId: number): Promise<CourseSettings | undefined> {
  const c = await s.get<Omit<CourseSettings, 'groups' | 'teachers' | 'termLocked'> & { termLocked: number | boolean }>(sql`SELECT c.id, c.term_id AS "termId",
      t.locked_at IS NOT NULL AS "termLocked", s.name_ru AS "subjectRu", s.name_en AS "subjectEn", sc.code AS scale, c.rules, c.version
    FROM courses c JOIN subjects s ON s.id = c.subject_id JOIN scales sc ON sc.id = c.scale_id JOIN terms t ON t.id = c.term_id WHERE c.id = ${courseId}`);
  if (!c) return undefined;
  const groups = await s.all<CourseSettings['groups'][number]>(sql`SELECT g.id, g.name, g.faculty_id AS "facultyId"
    FROM course_groups cg JOIN groups g ON g.id = cg.group_id WHERE cg.course_id = ${courseId} ORDER BY g.name`);
  const teachers = await s.all<CourseSettings['teachers'][number]>(sql`SELECT u.id, u.surname, u.given_name AS "givenName", u.name_latin AS "nameLatin", u.patronymic, ct.role
    FROM course_teachers ct JOIN users u ON u.id = ct.teacher_id WHERE ct.course_id = ${courseId} ORDER BY ct.role DESC, u.surname`);
  return { ...c, termLocked: !!c.termLocked, groups, teachers };
}

/** Saves the rules if the course was not changed meanwhile: the audit row's id, or null on a stale version. */
export async function saveCourseRules(s: Queryable, courseId: number, version: number, rules: CourseRules, actor: Actor, now: number): Promise<number | null> {
  return s.tx(async (tx) => {
    const cur = await tx.get<{ rules: string; version: number }>(sql`SELECT rules, version FROM courses WHERE id = ${courseId}`);
    if (!cur || cur.version !== version) return null;
    await tx.run(sql`UPDATE courses SET rules = ${JSON.stringify(rules)}, version = version + 1, updated_by = ${actor.id}, updated_at = ${now} WHERE id = ${courseId}`);
    return (await appendAudit(tx, { actorId: actor.id, actorRole: actor.role, ip: actor.ip, at: now, action: 'course.rules', entity: 'course', entityId: courseId, courseId, before: JSON.parse(cur.rules || '{}'), after: rules })).id;
  });
}

export async function addCourseTeacher(s: Queryable, courseId: number, teacherId: number, role: 'lecturer' | 'assistant', actor: Actor, now: number): Promise<void> {
  await s.tx(async (tx) => {
    await tx.run(sql`INSERT INTO course_teachers (course_id, teacher_id, role) VALUES (${courseId}, ${teacherId}, ${role})`);
    await appendAudit(tx, { actorId: actor.id, actorRole: actor.role, ip: actor.ip, at: now, action: 'course.teacher_add', entity: 'course', entityId: courseId, courseId, after: { teacherId, role } });
  });
}

export async function removeCourseTeacher(s: Queryable, courseId: number, teacherId: number, actor: Actor, now: number): Promise<void> {
  await s.tx(async (tx) => {
    const row = await tx.get<{ role: string }>(sql`SELECT role FROM course_teachers WHERE course_id = ${courseId} AND teacher_id = ${teacherId}`);
    await tx.run(sql`DELETE FROM course_teachers WHERE course_id = ${courseId} AND teacher_id = ${teacherId}`);
    await appendAudit(tx, { actorId: actor.id, actorRole: actor.role, ip: actor.ip, at: now, action: 'course.teacher_remove', entity: 'course', entityId: courseId, courseId, before: { teacherId, role: row?.role } });
  });
}

/** Students now in the course's groups: whose admission a rules change may move. */
export async function courseStudentIds(s: Queryable, courseId: number): Promise<number[]> {
  return (await s.all<{ id: number }>(sql`SELECT DISTINCT m.student_id AS id FROM course_groups cg JOIN group_memberships m ON m.group_id = cg.group_id AND m.to_date IS NULL
    WHERE cg.course_id = ${courseId} ORDER BY id`)).map((r) => r.id);
}

/** A group joins the course (a stream grows); its students appear in the journal from their membership dates. */
export async function addCourseGroup(s: Queryable, courseId: number, groupId: number, actor: Actor, now: number): Promise<void> {
  await s.tx(async (tx) => {
    await tx.run(sql`INSERT INTO course_groups (course_id, group_id) VALUES (${courseId}, ${groupId})`);
    await tx.run(sql`UPDATE courses SET version = version + 1, updated_by = ${actor.id}, updated_at = ${now} WHERE id = ${courseId}`);
    await appendAudit(tx, { actorId: actor.id, actorRole: actor.role, ip: actor.ip, at: now, action: 'course.group_add', entity: 'course', entityId: courseId, courseId, after: { groupId } });
  });
}

export async function courseSubjectTerm(s: Queryable, courseId: number): Promise<{ subjectId: number; termId: number }> {
  return (await s.get<{ subjectId: number; termId: number }>(sql`SELECT subject_id AS "subjectId", term_id AS "termId" FROM courses WHERE id = ${courseId}`))!;
}
