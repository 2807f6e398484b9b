import type { DB } from '../client';
import { inTransaction } from '../client';
import { appendAuditSync } from './audit';
import type { Actor } from './records';
import { StaleVersion } from './records';
import type { LessonKind } from '../schema';

export type LessonInput = { date: string; startsAt: number; kind: LessonKind; topic: string; groupId: number | null };
export type LessonRow = LessonInput & { id: number; courseId: number; cancelled: boolean; version: number };

export function lessonById(db: DB, lessonId: number): LessonRow | undefined {
  const r = db.$client.prepare('SELECT id, course_id AS courseId, date, starts_at AS startsAt, kind, topic, group_id AS groupId, cancelled, version FROM lessons WHERE id = ?').get(lessonId) as (Omit<LessonRow, 'cancelled'> & { cancelled: number }) | undefined;
  return r ? { ...r, cancelled: !!r.cancelled } : undefined;
}

/** Creates lessons (one, or a weekly series) in one transaction, one audit row each. Returns their ids. */
export function createLessons(db: DB, courseId: number, items: LessonInput[], actor: Actor, now: number): number[] {
  return inTransaction(db, () => items.map((l) => {
    const id = Number(db.$client.prepare('INSERT INTO lessons (course_id, group_id, kind, topic, date, starts_at, updated_by, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
      .run(courseId, l.groupId, l.kind, l.topic, l.date, l.startsAt, actor.id, now).lastInsertRowid);
    appendAuditSync(db, { actorId: actor.id, actorRole: actor.role, ip: actor.ip, at: now, action: 'lesson.create', entity: 'lesson', entityId: id, courseId, lessonId: id, after: l });
    return id;
  }));
}

/** Edits or cancels a lesson; a stale version is refused like a stale cell. */
export function updateLesson(db: DB, lessonId: number, changes: Partial<LessonInput> & { cancelled?: boolean }, expectedVersion: number, actor: Actor, reason: string | null, now: number): LessonRow {
  return inTransaction(db, () => {
    const cur = lessonById(db, lessonId);
    if (!cur) throw new Error('no lesson');
    if (cur.version !== expectedVersion) throw new StaleVersion({ id: cur.id, version: cur.version, updatedBy: null, updatedAt: 0, values: cur });
    const next = { ...cur, ...changes, version: cur.version + 1 };
    db.$client.prepare('UPDATE lessons SET date = ?, starts_at = ?, kind = ?, topic = ?, group_id = ?, cancelled = ?, version = ?, updated_by = ?, updated_at = ? WHERE id = ?')
      .run(next.date, next.startsAt, next.kind, next.topic, next.groupId, next.cancelled ? 1 : 0, next.version, actor.id, now, lessonId);
    const pick = (l: LessonRow) => ({ date: l.date, startsAt: l.startsAt, kind: l.kind, topic: l.topic, groupId: l.groupId, cancelled: l.cancelled, version: l.version });
    appendAuditSync(db, { actorId: actor.id, actorRole: actor.role, ip: actor.ip, at: now, action: changes.cancelled !== undefined && changes.cancelled !== cur.cancelled ? (changes.cancelled ? 'lesson.cancel' : 'lesson.restore') : 'lesson.update', entity: 'lesson', entityId: lessonId, courseId: cur.courseId, lessonId, before: pick(cur), after: pick(next), reason });
    return next;
  });
}

export type CellHistoryRow = { id: number; at: number; action: string; entity: string; before: string | null; after: string | null; reason: string | null; actorRole: string | null; surname: string | null; givenName: string | null; patronymic: string | null };

/** Every change of one cell (attendance, mark, make-up) from the audit log, newest first. */
export function cellHistory(db: DB, lessonId: number, studentId: number): CellHistoryRow[] {
  return db.$client.prepare(`SELECT a.id, a.at, a.action, a.entity, a.before, a.after, a.reason, a.actor_role AS actorRole, u.surname, u.given_name AS givenName, u.patronymic
    FROM audit_log a LEFT JOIN users u ON u.id = a.actor_id
    WHERE a.lesson_id = ? AND a.student_id = ? AND a.entity IN ('attendance', 'mark', 'makeup') ORDER BY a.id DESC`).all(lessonId, studentId) as CellHistoryRow[];
}

export type PendingMakeup = { lessonId: number; studentId: number; courseId: number; date: string; kind: string; topic: string; surname: string; givenName: string; groupName: string; subjectRu: string; subjectEn: string };

/**
 * Absences from practicals/labs that still need a make-up: not excused for a reason that waives it,
 * and no make-up done or waived. Matches the domain rule (server/domain/makeups.ts) for the default
 * make-up kinds; the course page double-checks with the domain summary.
 */
export function pendingMakeups(db: DB, where: { courseId?: number; departmentId?: number; facultyIds?: number[] }, termId: number): PendingMakeup[] {
  const conds = ['c.term_id = ?'];
  const args: unknown[] = [termId];
  if (where.courseId) { conds.push('c.id = ?'); args.push(where.courseId); }
  if (where.departmentId) { conds.push('s.department_id = ?'); args.push(where.departmentId); }
  if (where.facultyIds) { conds.push(`g.faculty_id IN (${where.facultyIds.map(() => '?').join(',') || 'NULL'})`); args.push(...where.facultyIds); }
  return db.$client.prepare(`SELECT a.lesson_id AS lessonId, a.student_id AS studentId, c.id AS courseId, l.date, l.kind, l.topic, u.surname, u.given_name AS givenName,
      g.name AS groupName, s.name_ru AS subjectRu, s.name_en AS subjectEn
    FROM attendance a JOIN lessons l ON l.id = a.lesson_id JOIN courses c ON c.id = l.course_id JOIN subjects s ON s.id = c.subject_id
    JOIN users u ON u.id = a.student_id
    JOIN group_memberships m ON m.student_id = a.student_id AND m.from_date <= l.date AND (m.to_date IS NULL OR m.to_date >= l.date)
    JOIN course_groups cg ON cg.course_id = c.id AND cg.group_id = m.group_id JOIN groups g ON g.id = m.group_id
    LEFT JOIN absence_reasons r ON r.id = a.reason_id
    LEFT JOIN makeups k ON k.lesson_id = a.lesson_id AND k.student_id = a.student_id
    WHERE ${conds.join(' AND ')} AND a.status = 'absent' AND l.kind IN ('practical', 'laboratory') AND l.cancelled = 0
      AND NOT (a.reason_status = 'excused' AND r.requires_makeup = 0)
      AND NOT EXISTS (SELECT 1 FROM excused_periods p JOIN absence_reasons pr ON pr.id = p.reason_id WHERE p.student_id = a.student_id AND l.date BETWEEN p.from_date AND p.to_date AND pr.requires_makeup = 0)
      AND (k.status IS NULL OR k.status = 'pending')
    ORDER BY g.name, u.surname, l.date`).all(...args) as PendingMakeup[];
}

export type PendingExcuse = PendingMakeup & { reasonId: number; reasonRu: string; reasonEn: string; documentRef: string | null; version: number; facultyId: number };

/** Absences with a reason the teacher recorded that the dean's office has not decided yet. */
export function pendingExcuses(db: DB, facultyIds: number[] | 'all', termId: number): PendingExcuse[] {
  const rows = db.$client.prepare(`SELECT a.lesson_id AS lessonId, a.student_id AS studentId, c.id AS courseId, l.date, l.kind, l.topic, u.surname, u.given_name AS givenName,
      g.name AS groupName, g.faculty_id AS facultyId, s.name_ru AS subjectRu, s.name_en AS subjectEn, a.reason_id AS reasonId, r.name_ru AS reasonRu, r.name_en AS reasonEn,
      a.document_ref AS documentRef, a.version
    FROM attendance a JOIN lessons l ON l.id = a.lesson_id JOIN courses c ON c.id = l.course_id JOIN subjects s ON s.id = c.subject_id
    JOIN users u ON u.id = a.student_id JOIN absence_reasons r ON r.id = a.reason_id
    JOIN group_memberships m ON m.student_id = a.student_id AND m.from_date <= l.date AND (m.to_date IS NULL OR m.to_date >= l.date)
    JOIN course_groups cg ON cg.course_id = c.id AND cg.group_id = m.group_id JOIN groups g ON g.id = m.group_id
    WHERE c.term_id = ? AND a.status = 'absent' AND a.reason_status = 'unknown' AND a.reason_id IS NOT NULL
    ORDER BY l.date, g.name, u.surname`).all(termId) as PendingExcuse[];
  return facultyIds === 'all' ? rows : rows.filter((r) => facultyIds.includes(r.facultyId));
}
