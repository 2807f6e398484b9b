import { sql } from 'drizzle-orm';
import type { Queryable } from '../store';
import { appendAudit } from './audit';
import { valuesList } from '../sql-dialect';
import type { Actor } from './records';

export type Dispute = {
  id: number; studentId: number; lessonId: number; courseId: number; subject: 'mark' | 'attendance'; comment: string; status: 'open' | 'accepted' | 'rejected';
  answer: string | null; createdAt: number; resolvedAt: number | null; date: string; kind: string; subjectRu: string; subjectEn: string;
  surname: string; givenName: string; nameLatin: string | null; groupName: string | null; version: number;
};

const SELECT = sql`SELECT d.id, d.student_id AS "studentId", d.lesson_id AS "lessonId", l.course_id AS "courseId", d.subject, d.comment, d.status, d.answer,
    d.updated_at AS "createdAt", d.resolved_at AS "resolvedAt", l.date, l.kind, s.name_ru AS "subjectRu", s.name_en AS "subjectEn", u.surname,
    u.given_name AS "givenName", u.name_latin AS "nameLatin",
    (SELECT g.name FROM group_memberships m JOIN groups g ON g.id = m.group_id WHERE m.student_id = u.id AND m.to_date IS NULL LIMIT 1) AS "groupName", d.version
  FROM disputes d JOIN lessons l ON l.id = d.lesson_id JOIN courses c ON c.id = l.course_id JOIN subjects s ON s.id = c.subject_id JOIN users u ON u.id = d.student_id`;

export async function disputeById(s: Queryable, id: number): Promise<Dispute | undefined> {
  return s.get<Dispute>(sql`${SELECT} WHERE d.id = ${id}`);
}

export async function disputesOfStudentCourse(s: Queryable, studentId: number, courseId: number): Promise<Dispute[]> {
  return s.all<Dispute>(sql`${SELECT} WHERE d.student_id = ${studentId} AND l.course_id = ${courseId} ORDER BY d.id DESC`);
}

/** Open disputes of the given courses (a teacher's, or every course a dean's office covers). */
export async function openDisputes(s: Queryable, courseIds: number[]): Promise<Dispute[]> {
  if (courseIds.length === 0) return [];
  return s.all<Dispute>(sql`${SELECT} WHERE d.status = 'open' AND l.course_id IN (${valuesList(courseIds)}) ORDER BY d.id`);
}

export async function openDispute(s: Queryable, d: { studentId: number; lessonId: number; courseId: number; subject: 'mark' | 'attendance'; comment: string }, actor: Actor, now: number): Promise<number> {
  return s.tx(async (tx) => {
    const { id } = (await tx.get<{ id: number }>(sql`INSERT INTO disputes (student_id, lesson_id, subject, comment, updated_by, updated_at)
      VALUES (${d.studentId}, ${d.lessonId}, ${d.subject}, ${d.comment}, ${actor.id}, ${now}) RETURNING id`))!;
    await appendAudit(tx, { actorId: actor.id, actorRole: 'student', ip: actor.ip, at: now, action: 'dispute.open', entity: 'dispute', entityId: id, studentId: d.studentId, courseId: d.courseId, lessonId: d.lessonId, after: { subject: d.subject, comment: d.comment } });
    return id;
  });
}

/**
 * Closes a dispute. Pass the transaction that applies an accepted correction, so both commit
 * together (with the store it is a transaction of its own).
 */
export async function closeDispute(s: Queryable, d: Dispute, status: 'accepted' | 'rejected', answer: string, actor: Actor, now: number): Promise<number> {
  return s.tx(async (tx) => {
    await tx.run(sql`UPDATE disputes SET status = ${status}, answer = ${answer}, resolved_by = ${actor.id}, resolved_at = ${now}, version = version + 1,
      updated_by = ${actor.id}, updated_at = ${now} WHERE id = ${d.id}`);
    return (await appendAudit(tx, { actorId: actor.id, actorRole: actor.role, ip: actor.ip, at: now, action: `dispute.${status === 'accepted' ? 'accept' : 'reject'}`, entity: 'dispute', entityId: d.id,
      studentId: d.studentId, courseId: d.courseId, lessonId: d.lessonId, before: { status: 'open' }, after: { status, answer } })).id;
  });
}
