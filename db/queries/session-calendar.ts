// The session calendar (issue 16): the exam and credit days the dean's office plans per course and group,
// each with an optional reserve day, time and room. Every write appends its audit row in the same transaction.
import { sql } from 'drizzle-orm';
import type { Queryable, Tx } from '../store';
import type { StatementKind } from '../schema';
import { appendAudit } from './audit';
import type { Actor } from './records';

export type SessionDate = {
  id: number; courseId: number; groupId: number; groupName: string; kind: StatementKind; date: string; reserveDate: string | null;
  startsAt: string | null; room: string | null; version: number;
};
export type SessionDateInput = { courseId: number; groupId: number; kind: StatementKind; date: string; reserveDate: string | null; startsAt: string | null; room: string | null };

const COLUMNS = sql`d.id, d.course_id AS "courseId", d.group_id AS "groupId", g.name AS "groupName", d.kind, d.date, d.reserve_date AS "reserveDate",
  d.start_time AS "startsAt", d.room, d.version`;

export async function courseSessionDates(s: Queryable, courseId: number): Promise<SessionDate[]> {
  return s.all<SessionDate>(sql`SELECT ${COLUMNS} FROM session_dates d JOIN groups g ON g.id = d.group_id WHERE d.course_id = ${courseId}
    ORDER BY d.date, g.name, d.kind`);
}

export async function sessionDateById(s: Queryable, id: number): Promise<SessionDate | undefined> {
  return s.get<SessionDate>(sql`SELECT ${COLUMNS} FROM session_dates d JOIN groups g ON g.id = d.group_id WHERE d.id = ${id}`);
}

const fieldsOf = (d: Pick<SessionDate, 'date' | 'reserveDate' | 'startsAt' | 'room'>) => ({ date: d.date, reserveDate: d.reserveDate, startsAt: d.startsAt, room: d.room });

/**
 * Sets the day of a course's exam or credit in a group: a new entry, or a change of the one there, compared with
 * the version the dean's office saw (null: it saw none). 'conflict' when someone else set or changed it meanwhile.
 */
export async function setSessionDate(tx: Tx, d: SessionDateInput, seenVersion: number | null, actor: Actor, now: number): Promise<'ok' | 'conflict' | 'unchanged'> {
  const cur = await tx.get<SessionDate>(sql`SELECT ${COLUMNS} FROM session_dates d JOIN groups g ON g.id = d.group_id
    WHERE d.course_id = ${d.courseId} AND d.group_id = ${d.groupId} AND d.kind = ${d.kind}`);
  const after = { groupId: d.groupId, kind: d.kind, ...fieldsOf(d) };
  if (!cur) {
    if (seenVersion !== null) return 'conflict'; // it was removed meanwhile
    const row = await tx.get<{ id: number }>(sql`INSERT INTO session_dates (course_id, group_id, kind, date, reserve_date, start_time, room, updated_by, updated_at)
      VALUES (${d.courseId}, ${d.groupId}, ${d.kind}, ${d.date}, ${d.reserveDate}, ${d.startsAt}, ${d.room}, ${actor.id}, ${now})
      ON CONFLICT (course_id, group_id, kind) DO NOTHING RETURNING id`);
    if (!row) return 'conflict';
    await appendAudit(tx, { actorId: actor.id, actorRole: actor.role, ip: actor.ip, at: now, action: 'session_date.create', entity: 'session_date', entityId: row.id,
      courseId: d.courseId, after });
    return 'ok';
  }
  if (seenVersion !== cur.version) return 'conflict';
  if (JSON.stringify(fieldsOf(cur)) === JSON.stringify(fieldsOf(d))) return 'unchanged';
  const r = await tx.run(sql`UPDATE session_dates SET date = ${d.date}, reserve_date = ${d.reserveDate}, start_time = ${d.startsAt}, room = ${d.room},
    version = version + 1, updated_by = ${actor.id}, updated_at = ${now} WHERE id = ${cur.id} AND version = ${cur.version}`);
  if (r.changes !== 1) return 'conflict';
  await appendAudit(tx, { actorId: actor.id, actorRole: actor.role, ip: actor.ip, at: now, action: 'session_date.update', entity: 'session_date', entityId: cur.id,
    courseId: d.courseId, before: fieldsOf(cur), after });
  return 'ok';
}

/** Takes a planned day off the calendar (compared with the version seen). */
export async function removeSessionDate(tx: Tx, d: SessionDate, seenVersion: number, actor: Actor, now: number): Promise<boolean> {
  const r = await tx.run(sql`DELETE FROM session_dates WHERE id = ${d.id} AND version = ${seenVersion}`);
  if (r.changes !== 1) return false;
  await appendAudit(tx, { actorId: actor.id, actorRole: actor.role, ip: actor.ip, at: now, action: 'session_date.remove', entity: 'session_date', entityId: d.id,
    courseId: d.courseId, before: { groupId: d.groupId, kind: d.kind, ...fieldsOf(d) } });
  return true;
}

export type PlannedExam = {
  courseId: number; subjectRu: string; subjectEn: string; groupId: number; groupName: string; kind: StatementKind; date: string; reserveDate: string | null;
  startsAt: string | null; room: string | null;
};

const PLANNED = sql`SELECT d.course_id AS "courseId", sb.name_ru AS "subjectRu", sb.name_en AS "subjectEn", d.group_id AS "groupId", g.name AS "groupName",
    d.kind, d.date, d.reserve_date AS "reserveDate", d.start_time AS "startsAt", d.room
  FROM session_dates d JOIN courses c ON c.id = d.course_id JOIN subjects sb ON sb.id = c.subject_id JOIN groups g ON g.id = d.group_id`;
// A day is still coming while the exam day or its reserve day is today or later.
const coming = (today: string) => sql`(d.date >= ${today} OR d.reserve_date >= ${today})`;

/** The planned exams and credits of the student's current group, still to come. */
export async function studentPlannedExams(s: Queryable, studentId: number, today: string): Promise<PlannedExam[]> {
  return s.all<PlannedExam>(sql`${PLANNED} WHERE d.group_id IN (SELECT group_id FROM group_memberships WHERE student_id = ${studentId} AND to_date IS NULL)
    AND ${coming(today)} ORDER BY d.date, d.id`);
}

/** The planned exams and credits of the courses a teacher teaches, still to come. */
export async function teacherPlannedExams(s: Queryable, teacherId: number, today: string): Promise<PlannedExam[]> {
  return s.all<PlannedExam>(sql`${PLANNED} WHERE d.course_id IN (SELECT course_id FROM course_teachers WHERE teacher_id = ${teacherId})
    AND ${coming(today)} ORDER BY d.date, g.name, d.id`);
}
