import { prepared, inTransaction, type DB } from '../client';
import { appendAuditSync } from './audit';
import type { Actor } from './records';
import type { CourseRules } from '../../server/domain/types';

// Subjects and courses as the dean's office sets up a term: which subject, to which groups, by whom,
// on which scale and under which admission and final-mark rules.

export type CourseListRow = {
  id: number; subjectRu: string; subjectEn: string; scale: string; groups: string; facultyIds: string;
  lecturers: string | null; assistants: string | null; students: number;
};

export function coursesOfTerm(db: DB, termId: number, facultyIds: number[] | 'all'): CourseListRow[] {
  const rows = prepared(db, `SELECT c.id, s.name_ru AS subjectRu, s.name_en AS subjectEn, sc.code AS scale,
      (SELECT group_concat(g.name, ', ') FROM course_groups cg JOIN groups g ON g.id = cg.group_id WHERE cg.course_id = c.id) AS groups,
      (SELECT group_concat(DISTINCT g.faculty_id) FROM course_groups cg JOIN groups g ON g.id = cg.group_id WHERE cg.course_id = c.id) AS facultyIds,
      (SELECT group_concat(u.surname || ' ' || substr(u.given_name, 1, 1) || '.', ', ') FROM course_teachers ct JOIN users u ON u.id = ct.teacher_id WHERE ct.course_id = c.id AND ct.role = 'lecturer') AS lecturers,
      (SELECT group_concat(u.surname || ' ' || substr(u.given_name, 1, 1) || '.', ', ') FROM course_teachers ct JOIN users u ON u.id = ct.teacher_id WHERE ct.course_id = c.id AND ct.role = 'assistant') AS assistants,
      (SELECT count(*) FROM course_groups cg JOIN group_memberships m ON m.group_id = cg.group_id AND m.to_date IS NULL WHERE cg.course_id = c.id) AS students
    FROM courses c JOIN subjects s ON s.id = c.subject_id JOIN scales sc ON sc.id = c.scale_id
    WHERE c.term_id = ? ORDER BY s.name_ru, groups`).all(termId) as CourseListRow[];
  return facultyIds === 'all' ? rows : rows.filter((r) => (r.facultyIds ?? '').split(',').some((f) => facultyIds.includes(Number(f))));
}

export type SubjectChoice = { id: number; code: string; nameRu: string; nameEn: string; departmentId: number; facultyId: number };
export type TeacherChoice = { id: number; surname: string; givenName: string; patronymic: string | null; departmentRu: string | null; departmentEn: string | null };

/** The subject catalogue is the university's: any faculty teaches any department's subject. */
export function subjectChoices(db: DB): SubjectChoice[] {
  return prepared(db, `SELECT s.id, s.code, s.name_ru AS nameRu, s.name_en AS nameEn, s.department_id AS departmentId, d.faculty_id AS facultyId
    FROM subjects s JOIN departments d ON d.id = s.department_id ORDER BY s.name_ru`).all() as SubjectChoice[];
}

/** Teachers of every department: an English-medium faculty borrows the departments' staff. */
export function teacherChoices(db: DB): TeacherChoice[] {
  return prepared(db, `SELECT DISTINCT u.id, u.surname, u.given_name AS givenName, u.patronymic, d.name_ru AS departmentRu, d.name_en AS departmentEn
    FROM user_roles r JOIN users u ON u.id = r.user_id LEFT JOIN departments d ON d.id = r.department_id
    WHERE r.role = 'teacher' AND u.disabled = 0 GROUP BY u.id ORDER BY u.surname, u.given_name`).all() as TeacherChoice[];
}

export const subjectCodeTaken = (db: DB, code: string) => !!prepared(db, 'SELECT 1 FROM subjects WHERE lower(code) = lower(?)').get(code);

export function createSubject(db: DB, s: { departmentId: number; code: string; nameRu: string; nameEn: string }, actor: Actor, now: number): number {
  return inTransaction(db, () => {
    const id = Number(prepared(db, 'INSERT INTO subjects (department_id, code, name_ru, name_en, updated_by, updated_at) VALUES (?, ?, ?, ?, ?, ?)').run(s.departmentId, s.code, s.nameRu, s.nameEn, actor.id, now).lastInsertRowid);
    appendAuditSync(db, { actorId: actor.id, actorRole: actor.role, ip: actor.ip, at: now, action: 'subject.create', entity: 'subject', entityId: id, after: s });
    return id;
  });
}

/** The group that already takes this subject in this term, if any: one journal per subject and group. */
export function duplicateCourseGroup(db: DB, subjectId: number, termId: number, groupIds: number[]): string | undefined {
  for (const g of groupIds) {
    const row = prepared(db, `SELECT g.name FROM courses c JOIN course_groups cg ON cg.course_id = c.id JOIN groups g ON g.id = cg.group_id
      WHERE c.subject_id = ? AND c.term_id = ? AND cg.group_id = ?`).get(subjectId, termId, g) as { name: string } | undefined;
    if (row) return row.name;
  }
  return undefined;
}

export type NewCourse = { subjectId: number; termId: number; scaleCode: string; groupIds: number[]; lecturerId: number; assistantIds: number[]; rules: CourseRules };

export function createCourse(db: DB, c: NewCourse, actor: Actor, now: number): number {
  return inTransaction(db, () => {
    const scale = prepared(db, 'SELECT id FROM scales WHERE code = ?').get(c.scaleCode) as { id: number };
    const id = Number(prepared(db, 'INSERT INTO courses (subject_id, term_id, scale_id, rules, updated_by, updated_at) VALUES (?, ?, ?, ?, ?, ?)').run(c.subjectId, c.termId, scale.id, JSON.stringify(c.rules), actor.id, now).lastInsertRowid);
    for (const g of c.groupIds) prepared(db, 'INSERT INTO course_groups (course_id, group_id) VALUES (?, ?)').run(id, g);
    prepared(db, "INSERT INTO course_teachers (course_id, teacher_id, role) VALUES (?, ?, 'lecturer')").run(id, c.lecturerId);
    for (const a of c.assistantIds.filter((x) => x !== c.lecturerId)) prepared(db, "INSERT OR IGNORE INTO course_teachers (course_id, teacher_id, role) VALUES (?, ?, 'assistant')").run(id, a);
    appendAuditSync(db, { actorId: actor.id, actorRole: actor.role, ip: actor.ip, at: now, action: 'course.create', entity: 'course', entityId: id, courseId: id, after: c });
    return id;
  });
}

export type CourseSettings = {
  id: number; termId: number; termLocked: boolean; subjectRu: string; subjectEn: string; scale: string; rules: string; version: number;
  groups: { id: number; name: string; facultyId: number }[];
  teachers: { id: number; surname: string; givenName: string; patronymic: string | null; role: 'lecturer' | 'assistant' }[];
};

export function courseSettings(db: DB, courseId: number): CourseSettings | undefined {
  const c = prepared(db, `SELECT c.id, c.term_id AS termId, t.locked_at IS NOT NULL AS termLocked, s.name_ru AS subjectRu, s.name_en AS subjectEn, sc.code AS scale, c.rules, c.version
    FROM courses c JOIN subjects s ON s.id = c.subject_id JOIN scales sc ON sc.id = c.scale_id JOIN terms t ON t.id = c.term_id WHERE c.id = ?`).get(courseId) as (Omit<CourseSettings, 'groups' | 'teachers' | 'termLocked'> & { termLocked: number }) | undefined;
  if (!c) return undefined;
  return {
    ...c, termLocked: !!c.termLocked,
    groups: prepared(db, 'SELECT g.id, g.name, g.faculty_id AS facultyId FROM course_groups cg JOIN groups g ON g.id = cg.group_id WHERE cg.course_id = ? ORDER BY g.name').all(courseId) as CourseSettings['groups'],
    teachers: prepared(db, `SELECT u.id, u.surname, u.given_name AS givenName, u.patronymic, ct.role FROM course_teachers ct JOIN users u ON u.id = ct.teacher_id
      WHERE ct.course_id = ? ORDER BY ct.role DESC, u.surname`).all(courseId) as CourseSettings['teachers'],
  };
}

/** Saves the rules if the course was not changed meanwhile; false on a stale version. */
export function saveCourseRules(db: DB, courseId: number, version: number, rules: CourseRules, actor: Actor, now: number): boolean {
  return inTransaction(db, () => {
    const cur = prepared(db, 'SELECT rules, version FROM courses WHERE id = ?').get(courseId) as { rules: string; version: number } | undefined;
    if (!cur || cur.version !== version) return false;
    prepared(db, 'UPDATE courses SET rules = ?, version = version + 1, updated_by = ?, updated_at = ? WHERE id = ?').run(JSON.stringify(rules), actor.id, now, courseId);
    appendAuditSync(db, { actorId: actor.id, actorRole: actor.role, ip: actor.ip, at: now, action: 'course.rules', entity: 'course', entityId: courseId, courseId, before: JSON.parse(cur.rules || '{}'), after: rules });
    return true;
  });
}

export function addCourseTeacher(db: DB, courseId: number, teacherId: number, role: 'lecturer' | 'assistant', actor: Actor, now: number): void {
  inTransaction(db, () => {
    prepared(db, 'INSERT INTO course_teachers (course_id, teacher_id, role) VALUES (?, ?, ?)').run(courseId, teacherId, role);
    appendAuditSync(db, { actorId: actor.id, actorRole: actor.role, ip: actor.ip, at: now, action: 'course.teacher_add', entity: 'course', entityId: courseId, courseId, after: { teacherId, role } });
  });
}

export function removeCourseTeacher(db: DB, courseId: number, teacherId: number, actor: Actor, now: number): void {
  inTransaction(db, () => {
    const row = prepared(db, 'SELECT role FROM course_teachers WHERE course_id = ? AND teacher_id = ?').get(courseId, teacherId) as { role: string } | undefined;
    prepared(db, 'DELETE FROM course_teachers WHERE course_id = ? AND teacher_id = ?').run(courseId, teacherId);
    appendAuditSync(db, { actorId: actor.id, actorRole: actor.role, ip: actor.ip, at: now, action: 'course.teacher_remove', entity: 'course', entityId: courseId, courseId, before: { teacherId, role: row?.role } });
  });
}

/** Students now in the course's groups: whose admission a rules change may move. */
export function courseStudentIds(db: DB, courseId: number): number[] {
  return (prepared(db, `SELECT DISTINCT m.student_id AS id FROM course_groups cg JOIN group_memberships m ON m.group_id = cg.group_id AND m.to_date IS NULL
    WHERE cg.course_id = ? ORDER BY m.student_id`).all(courseId) as { id: number }[]).map((r) => r.id);
}

/** A group joins the course (a stream grows); its students appear in the journal from their membership dates. */
export function addCourseGroup(db: DB, courseId: number, groupId: number, actor: Actor, now: number): void {
  inTransaction(db, () => {
    prepared(db, 'INSERT INTO course_groups (course_id, group_id) VALUES (?, ?)').run(courseId, groupId);
    prepared(db, 'UPDATE courses SET version = version + 1, updated_by = ?, updated_at = ? WHERE id = ?').run(actor.id, now, courseId);
    appendAuditSync(db, { actorId: actor.id, actorRole: actor.role, ip: actor.ip, at: now, action: 'course.group_add', entity: 'course', entityId: courseId, courseId, after: { groupId } });
  });
}

export function courseSubjectTerm(db: DB, courseId: number): { subjectId: number; termId: number } {
  return prepared(db, 'SELECT subject_id AS subjectId, term_id AS termId FROM courses WHERE id = ?').get(courseId) as { subjectId: number; termId: number };
}
