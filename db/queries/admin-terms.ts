import { sql } from 'drizzle-orm';
import type { Queryable } from '../store';
import { appendAudit } from './audit';
import type { Actor } from './records';

export type TermRow = { id: number; nameRu: string; nameEn: string; startsOn: string; endsOn: string; lockedAt: number | null; lockReason: string | null; courses: number; version: number };

/** What locking or unlocking a term touches: its courses, their teachers, and the students now in their groups. */
export async function termReach(s: Queryable, termId: number): Promise<{ courses: number; teachers: number; students: number }> {
  const r = await s.get<{ courses: number; teachers: number; students: number }>(sql`SELECT
      (SELECT count(*) FROM courses c WHERE c.term_id = ${termId}) AS courses,
      (SELECT count(DISTINCT ct.teacher_id) FROM course_teachers ct JOIN courses c ON c.id = ct.course_id WHERE c.term_id = ${termId}) AS teachers,
      (SELECT count(DISTINCT m.student_id) FROM group_memberships m JOIN course_groups cg ON cg.group_id = m.group_id
        JOIN courses c ON c.id = cg.course_id WHERE c.term_id = ${termId} AND m.to_date IS NULL) AS students`);
  return { courses: Number(r?.courses ?? 0), teachers: Number(r?.teachers ?? 0), students: Number(r?.students ?? 0) };
}

export async function allTerms(s: Queryable): Promise<TermRow[]> {
  return s.all<TermRow>(sql`SELECT t.id, t.name_ru AS "nameRu", t.name_en AS "nameEn", t.starts_on AS "startsOn", t.ends_on AS "endsOn", t.locked_at AS "lockedAt",
      t.lock_reason AS "lockReason", t.version, (SELECT count(*) FROM courses c WHERE c.term_id = t.id) AS courses
    FROM terms t ORDER BY t.starts_on DESC`);
}

/** Locks or unlocks a term; the reason is kept on the term and in the audit log. */
export async function setTermLock(s: Queryable, termId: number, lock: boolean, reason: string, actor: Actor, now: number): Promise<boolean> {
  return s.tx(async (tx) => {
    const cur = await tx.get<{ lockedAt: number | null; reason: string | null; version: number }>(sql`SELECT locked_at AS "lockedAt", lock_reason AS reason, version
      FROM terms WHERE id = ${termId}`);
    if (!cur || (cur.lockedAt !== null) === lock) return false;
    await tx.run(sql`UPDATE terms SET locked_at = ${lock ? now : null}, locked_by = ${lock ? actor.id : null}, lock_reason = ${reason}, version = ${cur.version + 1},
      updated_by = ${actor.id}, updated_at = ${now} WHERE id = ${termId}`);
    await appendAudit(tx, { actorId: actor.id, actorRole: actor.role, ip: actor.ip, at: now, action: lock ? 'term.lock' : 'term.unlock', entity: 'term', entityId: termId, before: { locked: cur.lockedAt !== null }, after: { locked: lock }, reason });
    return true;
  });
}

export type Correction = {
  id: number; lessonId: number; studentId: number; courseId: number; field: 'mark' | 'attendance'; newValue: string; reason: string; status: 'pending' | 'approved' | 'rejected';
  requestedBy: number; requesterSurname: string; requesterGiven: string; surname: string; givenName: string; nameLatin: string | null; date: string; kind: string; subjectRu: string; subjectEn: string; decisionNote: string | null;
};

const SELECT = sql`SELECT r.id, r.lesson_id AS "lessonId", r.student_id AS "studentId", l.course_id AS "courseId", r.field, r.new_value AS "newValue", r.reason, r.status,
    r.requested_by AS "requestedBy", q.surname AS "requesterSurname", q.given_name AS "requesterGiven", u.surname, u.given_name AS "givenName", u.name_latin AS "nameLatin",
    l.date, l.kind,
    s.name_ru AS "subjectRu", s.name_en AS "subjectEn", r.decision_note AS "decisionNote"
  FROM correction_requests r JOIN lessons l ON l.id = r.lesson_id JOIN courses c ON c.id = l.course_id JOIN subjects s ON s.id = c.subject_id
  JOIN users u ON u.id = r.student_id JOIN users q ON q.id = r.requested_by`;

export async function correctionById(s: Queryable, id: number): Promise<Correction | undefined> {
  return s.get<Correction>(sql`${SELECT} WHERE r.id = ${id}`);
}

export async function pendingCorrections(s: Queryable): Promise<Correction[]> {
  return s.all<Correction>(sql`${SELECT} WHERE r.status = 'pending' ORDER BY r.id`);
}

export async function fileCorrection(s: Queryable, c: { lessonId: number; studentId: number; courseId: number; field: 'mark' | 'attendance'; newValue: string; reason: string }, actor: Actor, now: number): Promise<number> {
  return s.tx(async (tx) => {
    const { id } = (await tx.get<{ id: number }>(sql`INSERT INTO correction_requests (lesson_id, student_id, field, new_value, reason, requested_by, updated_by, updated_at)
      VALUES (${c.lessonId}, ${c.studentId}, ${c.field}, ${c.newValue}, ${c.reason}, ${actor.id}, ${actor.id}, ${now}) RETURNING id`))!;
    await appendAudit(tx, { actorId: actor.id, actorRole: actor.role, ip: actor.ip, at: now, action: 'correction.request', entity: 'correction_request', entityId: id, studentId: c.studentId, courseId: c.courseId, lessonId: c.lessonId, after: { field: c.field, newValue: c.newValue }, reason: c.reason });
    return id;
  });
}

/** Closes a request; pass the transaction that applies an approved value (called with the store, it is its own). */
export async function decideCorrection(s: Queryable, c: Correction, approved: boolean, note: string, actor: Actor, now: number): Promise<void> {
  await s.tx(async (tx) => {
    await tx.run(sql`UPDATE correction_requests SET status = ${approved ? 'approved' : 'rejected'}, decided_by = ${actor.id}, decided_at = ${now}, decision_note = ${note},
      version = version + 1, updated_by = ${actor.id}, updated_at = ${now} WHERE id = ${c.id} AND status = 'pending'`);
    await appendAudit(tx, { actorId: actor.id, actorRole: actor.role, ip: actor.ip, at: now, action: approved ? 'correction.approve' : 'correction.reject', entity: 'correction_request', entityId: c.id, studentId: c.studentId, courseId: c.courseId, lessonId: c.lessonId, before: { status: 'pending' }, after: { status: approved ? 'approved' : 'rejected', note }, reason: note });
  });
}
