import { prepared, inTransaction, type DB } from '../client';
import { appendAuditSync } from './audit';
import type { Actor } from './records';

export type TermRow = { id: number; nameRu: string; nameEn: string; startsOn: string; endsOn: string; lockedAt: number | null; lockReason: string | null; courses: number; version: number };

export function allTerms(db: DB): TermRow[] {
  return prepared(db, `SELECT t.id, t.name_ru AS nameRu, t.name_en AS nameEn, t.starts_on AS startsOn, t.ends_on AS endsOn, t.locked_at AS lockedAt, t.lock_reason AS lockReason, t.version,
      (SELECT count(*) FROM courses c WHERE c.term_id = t.id) AS courses FROM terms t ORDER BY t.starts_on DESC`).all() as TermRow[];
}

/** Locks or unlocks a term; the reason is kept on the term and in the audit log. */
export function setTermLock(db: DB, termId: number, lock: boolean, reason: string, actor: Actor, now: number): boolean {
  return inTransaction(db, () => {
    const cur = prepared(db, 'SELECT locked_at AS lockedAt, lock_reason AS reason, version FROM terms WHERE id = ?').get(termId) as { lockedAt: number | null; reason: string | null; version: number } | undefined;
    if (!cur || (cur.lockedAt !== null) === lock) return false;
    prepared(db, 'UPDATE terms SET locked_at = ?, locked_by = ?, lock_reason = ?, version = ?, updated_by = ?, updated_at = ? WHERE id = ?')
      .run(lock ? now : null, lock ? actor.id : null, reason, cur.version + 1, actor.id, now, termId);
    appendAuditSync(db, { actorId: actor.id, actorRole: actor.role, ip: actor.ip, at: now, action: lock ? 'term.lock' : 'term.unlock', entity: 'term', entityId: termId, before: { locked: cur.lockedAt !== null }, after: { locked: lock }, reason });
    return true;
  });
}

export type Correction = {
  id: number; lessonId: number; studentId: number; courseId: number; field: 'mark' | 'attendance'; newValue: string; reason: string; status: 'pending' | 'approved' | 'rejected';
  requestedBy: number; requesterSurname: string; requesterGiven: string; surname: string; givenName: string; date: string; kind: string; subjectRu: string; subjectEn: string; decisionNote: string | null;
};

const SELECT = `SELECT r.id, r.lesson_id AS lessonId, r.student_id AS studentId, l.course_id AS courseId, r.field, r.new_value AS newValue, r.reason, r.status, r.requested_by AS requestedBy,
    q.surname AS requesterSurname, q.given_name AS requesterGiven, u.surname, u.given_name AS givenName, l.date, l.kind, s.name_ru AS subjectRu, s.name_en AS subjectEn, r.decision_note AS decisionNote
  FROM correction_requests r JOIN lessons l ON l.id = r.lesson_id JOIN courses c ON c.id = l.course_id JOIN subjects s ON s.id = c.subject_id
  JOIN users u ON u.id = r.student_id JOIN users q ON q.id = r.requested_by`;

export function correctionById(db: DB, id: number): Correction | undefined {
  return prepared(db, `${SELECT} WHERE r.id = ?`).get(id) as Correction | undefined;
}

export function pendingCorrections(db: DB): Correction[] {
  return prepared(db, `${SELECT} WHERE r.status = 'pending' ORDER BY r.id`).all() as Correction[];
}

export function fileCorrection(db: DB, c: { lessonId: number; studentId: number; courseId: number; field: 'mark' | 'attendance'; newValue: string; reason: string }, actor: Actor, now: number): number {
  return inTransaction(db, () => {
    const id = Number(prepared(db, 'INSERT INTO correction_requests (lesson_id, student_id, field, new_value, reason, requested_by, updated_by, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
      .run(c.lessonId, c.studentId, c.field, c.newValue, c.reason, actor.id, actor.id, now).lastInsertRowid);
    appendAuditSync(db, { actorId: actor.id, actorRole: actor.role, ip: actor.ip, at: now, action: 'correction.request', entity: 'correction_request', entityId: id, studentId: c.studentId, courseId: c.courseId, lessonId: c.lessonId, after: { field: c.field, newValue: c.newValue }, reason: c.reason });
    return id;
  });
}

/** Closes a request; call inside the transaction that applies an approved value. */
export function decideCorrection(db: DB, c: Correction, approved: boolean, note: string, actor: Actor, now: number): void {
  prepared(db, "UPDATE correction_requests SET status = ?, decided_by = ?, decided_at = ?, decision_note = ?, version = version + 1, updated_by = ?, updated_at = ? WHERE id = ? AND status = 'pending'")
    .run(approved ? 'approved' : 'rejected', actor.id, now, note, actor.id, now, c.id);
  appendAuditSync(db, { actorId: actor.id, actorRole: actor.role, ip: actor.ip, at: now, action: approved ? 'correction.approve' : 'correction.reject', entity: 'correction_request', entityId: c.id, studentId: c.studentId, courseId: c.courseId, lessonId: c.lessonId, before: { status: 'pending' }, after: { status: approved ? 'approved' : 'rejected', note }, reason: note });
}
