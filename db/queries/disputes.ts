import { prepared, inTransaction, type DB } from '../client';
import { appendAuditSync } from './audit';
import type { Actor } from './records';

export type Dispute = {
  id: number; studentId: number; lessonId: number; courseId: number; subject: 'mark' | 'attendance'; comment: string; status: 'open' | 'accepted' | 'rejected';
  answer: string | null; createdAt: number; resolvedAt: number | null; date: string; kind: string; subjectRu: string; subjectEn: string;
  surname: string; givenName: string; groupName: string | null; version: number;
};

const SELECT = `SELECT d.id, d.student_id AS studentId, d.lesson_id AS lessonId, l.course_id AS courseId, d.subject, d.comment, d.status, d.answer,
    d.updated_at AS createdAt, d.resolved_at AS resolvedAt, l.date, l.kind, s.name_ru AS subjectRu, s.name_en AS subjectEn, u.surname, u.given_name AS givenName,
    (SELECT g.name FROM group_memberships m JOIN groups g ON g.id = m.group_id WHERE m.student_id = u.id AND m.to_date IS NULL LIMIT 1) AS groupName, d.version
  FROM disputes d JOIN lessons l ON l.id = d.lesson_id JOIN courses c ON c.id = l.course_id JOIN subjects s ON s.id = c.subject_id JOIN users u ON u.id = d.student_id`;

export function disputeById(db: DB, id: number): Dispute | undefined {
  return prepared(db, `${SELECT} WHERE d.id = ?`).get(id) as Dispute | undefined;
}

export function disputesOfStudentCourse(db: DB, studentId: number, courseId: number): Dispute[] {
  return prepared(db, `${SELECT} WHERE d.student_id = ? AND l.course_id = ? ORDER BY d.id DESC`).all(studentId, courseId) as Dispute[];
}

/** Open disputes of the given courses (a teacher's, or every course a dean's office covers). */
export function openDisputes(db: DB, courseIds: number[]): Dispute[] {
  if (courseIds.length === 0) return [];
  return prepared(db, `${SELECT} WHERE d.status = 'open' AND l.course_id IN (${courseIds.map(() => '?').join(',')}) ORDER BY d.id`).all(...courseIds) as Dispute[];
}

export function openDispute(db: DB, d: { studentId: number; lessonId: number; courseId: number; subject: 'mark' | 'attendance'; comment: string }, actor: Actor, now: number): number {
  return inTransaction(db, () => {
    const id = Number(prepared(db, 'INSERT INTO disputes (student_id, lesson_id, subject, comment, updated_by, updated_at) VALUES (?, ?, ?, ?, ?, ?)')
      .run(d.studentId, d.lessonId, d.subject, d.comment, actor.id, now).lastInsertRowid);
    appendAuditSync(db, { actorId: actor.id, actorRole: 'student', ip: actor.ip, at: now, action: 'dispute.open', entity: 'dispute', entityId: id, studentId: d.studentId, courseId: d.courseId, lessonId: d.lessonId, after: { subject: d.subject, comment: d.comment } });
    return id;
  });
}

/** Closes a dispute. Call inside the transaction that applies an accepted correction, so both commit together. */
export function closeDispute(db: DB, d: Dispute, status: 'accepted' | 'rejected', answer: string, actor: Actor, now: number): void {
  prepared(db, 'UPDATE disputes SET status = ?, answer = ?, resolved_by = ?, resolved_at = ?, version = version + 1, updated_by = ?, updated_at = ? WHERE id = ?')
    .run(status, answer, actor.id, now, actor.id, now, d.id);
  appendAuditSync(db, { actorId: actor.id, actorRole: actor.role, ip: actor.ip, at: now, action: `dispute.${status === 'accepted' ? 'accept' : 'reject'}`, entity: 'dispute', entityId: d.id,
    studentId: d.studentId, courseId: d.courseId, lessonId: d.lessonId, before: { status: 'open' }, after: { status, answer } });
}
