import { sql, type SQL } from 'drizzle-orm';
import type { Queryable } from '../store';
import { appendAudit } from './audit';
import { valuesList } from '../sql-dialect';
import type { Actor } from './records';
import { StaleVersion } from './records';
import type { LessonKind } from '../schema';

export type LessonInput = { date: string; startsAt: number; kind: LessonKind; topic: string; groupId: number | null };
export type LessonRow = LessonInput & { id: number; courseId: number; cancelled: boolean; version: number };

export async function lessonById(s: Queryable, lessonId: number): Promise<LessonRow | undefined> {
  const r = await s.get<Omit<LessonRow, 'cancelled'> & { cancelled: number | boolean }>(sql`SELECT id, course_id AS "courseId", date, starts_at AS "startsAt",
      kind, topic, group_id AS "groupId", cancelled, version FROM lessons WHERE id = ${lessonId}`);
  return r ? { ...r, cancelled: !!r.cancelled } : undefined;
}

/** Creates lessons (one, or a weekly series) in one transaction, one audit row each. Returns their ids. */
export async function createLessons(s: Queryable, courseId: number, items: LessonInput[], actor: Actor, now: number): Promise<number[]> {
  return s.tx(async (tx) => {
    const ids: number[] = [];
    for (const l of items) {
      const { id } = (await tx.get<{ id: number }>(sql`INSERT INTO lessons (course_id, group_id, kind, topic, date, starts_at, updated_by, updated_at)
        VALUES (${courseId}, ${l.groupId}, ${l.kind}, ${l.topic}, ${l.date}, ${l.startsAt}, ${actor.id}, ${now}) RETURNING id`))!;
      await appendAudit(tx, { actorId: actor.id, actorRole: actor.role, ip: actor.ip, at: now, action: 'lesson.create', entity: 'lesson', entityId: id, courseId, lessonId: id, after: l });
      ids.push(id);
    }
    return ids;
  });
}

/** Edits or cancels a lesson; a stale version is refused like a stale cell. */
export async function updateLesson(s: Queryable, lessonId: number, changes: Partial<LessonInput> & { cancelled?: boolean }, expectedVersion: number, actor: Actor, reason: string | null, now: number): Promise<LessonRow> {
  return s.tx(async (tx) => {
    const cur = await lessonById(tx, lessonId);
    if (!cur) throw new Error('no lesson');
    if (cur.version !== expectedVersion) throw new StaleVersion({ id: cur.id, version: cur.version, updatedBy: null, updatedAt: 0, values: cur });
    const next = { ...cur, ...changes, version: cur.version + 1 };
    await tx.run(sql`UPDATE lessons SET date = ${next.date}, starts_at = ${next.startsAt}, kind = ${next.kind}, topic = ${next.topic}, group_id = ${next.groupId},
      cancelled = ${next.cancelled}, version = ${next.version}, updated_by = ${actor.id}, updated_at = ${now} WHERE id = ${lessonId}`);
    const pick = (l: LessonRow) => ({ date: l.date, startsAt: l.startsAt, kind: l.kind, topic: l.topic, groupId: l.groupId, cancelled: l.cancelled, version: l.version });
    await appendAudit(tx, { actorId: actor.id, actorRole: actor.role, ip: actor.ip, at: now, action: changes.cancelled !== undefined && changes.cancelled !== cur.cancelled ? (changes.cancelled ? 'lesson.cancel' : 'lesson.restore') : 'lesson.update', entity: 'lesson', entityId: lessonId, courseId: cur.courseId, lessonId, before: pick(cur), after: pick(next), reason });
    return next;
  });
}

export type CellHistoryRow = { id: number; at: number; action: string; entity: string; before: string | null; after: string | null; reason: string | null; actorRole: string | null; surname: string | null; givenName: string | null; nameLatin: string | null; patronymic: string | null };

/** Every change of one cell (attendance, mark, make-up) from the audit log, newest first. */
export async function cellHistory(s: Queryable, lessonId: number, studentId: number): Promise<CellHistoryRow[]> {
  return s.all<CellHistoryRow>(sql`SELECT a.id, a.at, a.action, a.entity, a.before, a.after, a.reason, a.actor_role AS "actorRole", u.surname,
      u.given_name AS "givenName", u.name_latin AS "nameLatin", u.patronymic
    FROM audit_log a LEFT JOIN users u ON u.id = a.actor_id
    WHERE a.lesson_id = ${lessonId} AND a.student_id = ${studentId} AND a.entity IN ('attendance', 'mark', 'makeup') ORDER BY a.id DESC`);
}

export type PendingMakeup = { lessonId: number; studentId: number; courseId: number; date: string; kind: string; topic: string; surname: string; givenName: string; nameLatin: string | null; groupName: string; subjectRu: string; subjectEn: string };

/**
 * Absences from practicals/labs that still need a make-up: not excused for a reason that waives it,
 * and no make-up done or waived. Matches the domain rule (server/domain/makeups.ts) for the default
 * make-up kinds; the course page double-checks with the domain summary.
 */
export async function pendingMakeups(s: Queryable, where: { courseId?: number; departmentId?: number; facultyIds?: number[] }, termId: number): Promise<PendingMakeup[]> {
  const conds: SQL[] = [sql`c.term_id = ${termId}`];
  if (where.courseId) conds.push(sql`c.id = ${where.courseId}`);
  if (where.departmentId) conds.push(sql`s.department_id = ${where.departmentId}`);
  if (where.facultyIds) {
    // No faculty, no rows (IN () is not SQL).
    if (where.facultyIds.length === 0) return [];
    conds.push(sql`g.faculty_id IN (${valuesList(where.facultyIds)})`);
  }
  return s.all<PendingMakeup>(sql`SELECT a.lesson_id AS "lessonId", a.student_id AS "studentId", c.id AS "courseId", l.date, l.kind, l.topic, u.surname,
      u.given_name AS "givenName", u.name_latin AS "nameLatin", g.name AS "groupName", s.name_ru AS "subjectRu", s.name_en AS "subjectEn"
    FROM attendance a JOIN lessons l ON l.id = a.lesson_id JOIN courses c ON c.id = l.course_id JOIN subjects s ON s.id = c.subject_id
    JOIN users u ON u.id = a.student_id
    JOIN group_memberships m ON m.student_id = a.student_id AND m.from_date <= l.date AND (m.to_date IS NULL OR m.to_date >= l.date)
    JOIN course_groups cg ON cg.course_id = c.id AND cg.group_id = m.group_id JOIN groups g ON g.id = m.group_id
    LEFT JOIN absence_reasons r ON r.id = a.reason_id
    LEFT JOIN makeups k ON k.lesson_id = a.lesson_id AND k.student_id = a.student_id
    WHERE ${sql.join(conds, sql` AND `)} AND a.status = 'absent' AND l.kind IN ('practical', 'laboratory') AND l.cancelled = ${false}
      AND NOT (a.reason_status = 'excused' AND r.requires_makeup = ${false})
      AND NOT EXISTS (SELECT 1 FROM excused_periods p JOIN absence_reasons pr ON pr.id = p.reason_id
        WHERE p.student_id = a.student_id AND l.date BETWEEN p.from_date AND p.to_date AND pr.requires_makeup = ${false})
      AND (k.status IS NULL OR k.status = 'pending')
    ORDER BY g.name, u.surname, l.date`);
}

export type PendingExcuse = PendingMakeup & { reasonId: number; reasonRu: string; reasonEn: string; documentRef: string | null; version: number; facultyId: number };

/** Absences with a reason the teacher recorded that the dean's office has not decided yet. */
export async function pendingExcuses(s: Queryable, facultyIds: number[] | 'all', termId: number): Promise<PendingExcuse[]> {
  const rows = await s.all<PendingExcuse>(sql`SELECT a.lesson_id AS "lessonId", a.student_id AS "studentId", c.id AS "courseId", l.date, l.kind, l.topic,
      u.surname, u.given_name AS "givenName", u.name_latin AS "nameLatin", g.name AS "groupName", g.faculty_id AS "facultyId", s.name_ru AS "subjectRu", s.name_en AS "subjectEn",
      a.reason_id AS "reasonId", r.name_ru AS "reasonRu", r.name_en AS "reasonEn", a.document_ref AS "documentRef", a.version
    FROM attendance a JOIN lessons l ON l.id = a.lesson_id JOIN courses c ON c.id = l.course_id JOIN subjects s ON s.id = c.subject_id
    JOIN users u ON u.id = a.student_id JOIN absence_reasons r ON r.id = a.reason_id
    JOIN group_memberships m ON m.student_id = a.student_id AND m.from_date <= l.date AND (m.to_date IS NULL OR m.to_date >= l.date)
    JOIN course_groups cg ON cg.course_id = c.id AND cg.group_id = m.group_id JOIN groups g ON g.id = m.group_id
    WHERE c.term_id = ${termId} AND a.status = 'absent' AND a.reason_status = 'unknown' AND a.reason_id IS NOT NULL
    ORDER BY l.date, g.name, u.surname`);
  return facultyIds === 'all' ? rows : rows.filter((r) => facultyIds.includes(r.facultyId));
}

/**
 * The attendance one "everyone present" wrote (this user, this lesson, that instant) and that nobody has
 * changed since: what its undo may take back, with the versions to check.
 */
export async function presentMarkedAt(s: Queryable, lessonId: number, actorId: number, at: number): Promise<{ studentId: number; version: number }[]> {
  return s.all(sql`SELECT student_id AS "studentId", version FROM attendance
    WHERE lesson_id = ${lessonId} AND updated_by = ${actorId} AND updated_at = ${at} AND status = 'present' ORDER BY student_id`);
}
