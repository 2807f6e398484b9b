import { sql } from 'drizzle-orm';
import type { Queryable, Tx } from '../store';
import { appendAudit, lockAuditHead } from './audit';
import type { Actor } from './records';
import type { RecognitionOutcome } from '../schema';

// Credit recognition after a mobility placement (issue 17): a result earned at the partner, recorded by
// the dean's office against one of the student's own courses. The record book reads these rows
// (db/queries/record-book.ts) beside the statements' results.

/** A course the student takes (a group of theirs, at any time, is among the course's groups), with its scale. */
export type StudentCourse = {
  courseId: number; subjectRu: string; subjectEn: string; termNameRu: string; termNameEn: string;
  scaleKind: 'points' | 'pass_fail'; scaleMin: number; scaleMax: number; passMin: number;
};
const COURSE_COLUMNS = sql`c.id AS "courseId", sb.name_ru AS "subjectRu", sb.name_en AS "subjectEn", t.name_ru AS "termNameRu",
  t.name_en AS "termNameEn", sc.kind AS "scaleKind", sc.min AS "scaleMin", sc.max AS "scaleMax", sc.pass_min AS "passMin"`;
const TAKES = (studentId: number) => sql`EXISTS (SELECT 1 FROM course_groups cg JOIN group_memberships m ON m.group_id = cg.group_id
  WHERE cg.course_id = c.id AND m.student_id = ${studentId})`;

export async function coursesOfStudent(s: Queryable, studentId: number): Promise<StudentCourse[]> {
  return s.all<StudentCourse>(sql`SELECT ${COURSE_COLUMNS} FROM courses c JOIN subjects sb ON sb.id = c.subject_id JOIN terms t ON t.id = c.term_id
    JOIN scales sc ON sc.id = c.scale_id WHERE ${TAKES(studentId)} ORDER BY t.starts_on DESC, sb.name_ru, c.id`);
}

export async function courseOfStudent(s: Queryable, studentId: number, courseId: number): Promise<StudentCourse | undefined> {
  return s.get<StudentCourse>(sql`SELECT ${COURSE_COLUMNS} FROM courses c JOIN subjects sb ON sb.id = c.subject_id JOIN terms t ON t.id = c.term_id
    JOIN scales sc ON sc.id = c.scale_id WHERE c.id = ${courseId} AND ${TAKES(studentId)}`);
}

export type Recognition = {
  id: number; placementId: number; studentId: number; courseId: number; partnerId: number; outcome: RecognitionOutcome; mark: number | null;
  partnerCourse: string; partnerGrade: string; recognisedOn: string; version: number; subjectRu: string; subjectEn: string;
};
const COLUMNS = sql`r.id, r.placement_id AS "placementId", r.student_id AS "studentId", r.course_id AS "courseId", r.partner_id AS "partnerId",
  r.outcome, r.mark, r.partner_course AS "partnerCourse", r.partner_grade AS "partnerGrade", r.recognised_on AS "recognisedOn", r.version,
  sb.name_ru AS "subjectRu", sb.name_en AS "subjectEn"`;
const FROM = sql`mobility_recognitions r JOIN courses c ON c.id = r.course_id JOIN subjects sb ON sb.id = c.subject_id`;

export async function recognitionsOfPlacement(s: Queryable, placementId: number): Promise<Recognition[]> {
  return s.all<Recognition>(sql`SELECT ${COLUMNS} FROM ${FROM} WHERE r.placement_id = ${placementId} ORDER BY r.id`);
}

export type NewRecognition = {
  placementId: number; studentId: number; courseId: number; partnerId: number; outcome: RecognitionOutcome; mark: number | null;
  partnerCourse: string; partnerGrade: string; recognisedOn: string;
};

/** Records the recognition, or replaces the one the course already has (the before goes into the audit row). */
export async function setRecognition(tx: Tx, r: NewRecognition, actor: Actor, now: number): Promise<number> {
  await lockAuditHead(tx); // two offices recording the same course at once queue here: the second replaces, not collides
  const before = await tx.get<Omit<Recognition, 'subjectRu' | 'subjectEn'>>(sql`SELECT r.id, r.placement_id AS "placementId", r.outcome, r.mark,
      r.partner_course AS "partnerCourse", r.partner_grade AS "partnerGrade", r.recognised_on AS "recognisedOn"
    FROM mobility_recognitions r WHERE r.student_id = ${r.studentId} AND r.course_id = ${r.courseId}`);
  let id: number;
  if (before) {
    await tx.run(sql`UPDATE mobility_recognitions SET placement_id = ${r.placementId}, partner_id = ${r.partnerId}, outcome = ${r.outcome}, mark = ${r.mark},
      partner_course = ${r.partnerCourse}, partner_grade = ${r.partnerGrade}, recognised_on = ${r.recognisedOn}, version = version + 1,
      updated_by = ${actor.id}, updated_at = ${now} WHERE id = ${before.id}`);
    id = before.id;
  } else {
    id = (await tx.get<{ id: number }>(sql`INSERT INTO mobility_recognitions (placement_id, student_id, course_id, partner_id, outcome, mark,
        partner_course, partner_grade, recognised_on, updated_by, updated_at)
      VALUES (${r.placementId}, ${r.studentId}, ${r.courseId}, ${r.partnerId}, ${r.outcome}, ${r.mark}, ${r.partnerCourse}, ${r.partnerGrade},
        ${r.recognisedOn}, ${actor.id}, ${now}) RETURNING id`))!.id;
  }
  await appendAudit(tx, {
    actorId: actor.id, actorRole: actor.role, ip: actor.ip, at: now, action: 'mobility_recognition.set', entity: 'mobility_recognition', entityId: id,
    studentId: r.studentId, courseId: r.courseId, before: before ?? null, after: r, reason: `${r.partnerCourse}: ${r.partnerGrade}`,
  });
  return id;
}
