import { prepared, inTransaction, type DB } from '../client';
import type { Change } from '../../server/realtime/changes';
import { mutedKinds, type NotifyKind } from './notify-settings';
import type { LinkScope } from '../schema';

/** Which notification kinds a guardian's link of each scope lets through (the policy's table). */
export type GuardianKinds = Record<LinkScope, readonly NotifyKind[]>;

/**
 * Whose notifications are read, and what of them: the policy's answer (server/policy noticeFilter).
 * A row about the reader themself, or about nobody, is theirs; a row about another student shows only
 * while the reader's newest live link to that student has a scope that lets its kind through.
 */
export type NoticeFilter = { userId: number; guardianKinds: GuardianKinds };

export type NotificationRow = { id: number; kind: NotifyKind; studentId: number | null; courseId: number | null; payload: string; createdAt: number; readAt: number | null };

/**
 * Stores what a change means for the student and each consenting guardian, so someone offline sees
 * it on the next visit. Which guardians hear of which kind is the policy's (guardianKinds): an
 * attendance-only guardian is never told of a mark, and never given a value.
 */
export function notifyChange(db: DB, change: Change, now: number, guardianKinds: GuardianKinds): number {
  if (!change.studentId || !change.courseId || change.auditId === 0) return 0;
  const row = prepared(db, `SELECT a.after, l.date, s.name_ru AS ru, s.name_en AS en FROM audit_log a JOIN lessons l ON l.id = a.lesson_id
    JOIN courses c ON c.id = l.course_id JOIN subjects s ON s.id = c.subject_id WHERE a.id = ?`).get(change.auditId) as { after: string | null; date: string; ru: string; en: string } | undefined;
  if (!row) return 0;
  const after = row.after ? (JSON.parse(row.after) as Record<string, unknown>) : {};
  const kind: NotifyKind | null = change.entity === 'mark' ? (after.value === null ? null : 'mark')
    : change.entity === 'attendance' ? (after.status === 'absent' ? 'absence' : null)
    : change.entity === 'makeup' ? 'absence' : null;
  if (!kind) return 0;
  const recipients = [change.studentId, ...guardiansToTell(db, change.studentId, kind, guardianKinds)];
  const insert = prepared(db, 'INSERT INTO notifications (user_id, kind, student_id, course_id, audit_id, payload, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)');
  let n = 0;
  inTransaction(db, () => {
    for (const userId of recipients) {
      if (mutedKinds(db, userId).includes(kind)) continue;
      const payload = { date: row.date, subjectRu: row.ru, subjectEn: row.en, ...(kind === 'mark' ? { value: after.value } : { status: after.status ?? 'pending' }) };
      insert.run(userId, kind, change.studentId, change.courseId, change.auditId, JSON.stringify(payload), now);
      n++;
    }
  });
  return n;
}

/** The guardians whose live link lets them hear of this kind of event about the student. */
function guardiansToTell(db: DB, studentId: number, kind: NotifyKind, guardianKinds: GuardianKinds): number[] {
  const links = prepared(db, 'SELECT guardian_id AS g, scope FROM guardian_links WHERE student_id = ? AND revoked_at IS NULL ORDER BY id')
    .all(studentId) as { g: number; scope: LinkScope }[];
  return [...new Set(links.filter((l) => guardianKinds[l.scope]?.includes(kind)).map((l) => l.g))];
}

// The newest live link of the reader to the row's student (as the policy's activeLinkScope) decides.
const VISIBLE = `n.user_id = ? AND (n.student_id IS NULL OR n.student_id = n.user_id OR
  CASE (SELECT l.scope FROM guardian_links l WHERE l.guardian_id = n.user_id AND l.student_id = n.student_id
          AND l.revoked_at IS NULL ORDER BY l.id DESC LIMIT 1)
    WHEN 'full' THEN n.kind IN (SELECT value FROM json_each(?))
    WHEN 'attendance' THEN n.kind IN (SELECT value FROM json_each(?))
    ELSE 0 END)`;
const visibleArgs = (f: NoticeFilter) => [f.userId, JSON.stringify(f.guardianKinds.full), JSON.stringify(f.guardianKinds.attendance)];

export function unreadCount(db: DB, f: NoticeFilter): number {
  return (prepared(db, `SELECT count(*) AS n FROM notifications n WHERE ${VISIBLE} AND n.read_at IS NULL`)
    .get(...visibleArgs(f)) as { n: number }).n;
}

export function notificationsOf(db: DB, f: NoticeFilter, limit = 50): NotificationRow[] {
  return prepared(db, `SELECT n.id, n.kind, n.student_id AS studentId, n.course_id AS courseId, n.payload,
      n.created_at AS createdAt, n.read_at AS readAt
    FROM notifications n WHERE ${VISIBLE} ORDER BY n.id DESC LIMIT ?`).all(...visibleArgs(f), limit) as NotificationRow[];
}

/** Only what the reader can see is marked read: a hidden row was not read, and is unread if the link widens again. */
export function markAllRead(db: DB, f: NoticeFilter, now: number): number {
  return prepared(db, `UPDATE notifications AS n SET read_at = ? WHERE ${VISIBLE} AND n.read_at IS NULL`)
    .run(now, ...visibleArgs(f)).changes;
}

export function lastNotificationId(db: DB): number {
  return (prepared(db, 'SELECT coalesce(max(id), 0) AS id FROM notifications').get() as { id: number }).id;
}

/** Everyone given a notification after this id. */
export function notifiedSince(db: DB, afterId: number): number[] {
  const rows = prepared(db, 'SELECT DISTINCT user_id AS id FROM notifications WHERE id > ?').all(afterId) as { id: number }[];
  return rows.map((r) => r.id);
}

type LessonInfo = { date: string; ru: string; en: string };
const lessonInfo = (db: DB, lessonId: number) => prepared(db, `SELECT l.date, s.name_ru AS ru, s.name_en AS en FROM lessons l JOIN courses c ON c.id = l.course_id
  JOIN subjects s ON s.id = c.subject_id WHERE l.id = ?`).get(lessonId) as LessonInfo | undefined;

/** The student hears the answer to their dispute (the dispute is theirs alone: guardians are not told). */
export function notifyDispute(db: DB, change: Change, now: number): number {
  if (change.entity !== 'dispute' || !change.studentId || !change.lessonId || !/^dispute\.(accepted|rejected)$/.test(change.action)) return 0;
  const info = lessonInfo(db, change.lessonId);
  if (!info || mutedKinds(db, change.studentId).includes('dispute')) return 0;
  const payload = { date: info.date, subjectRu: info.ru, subjectEn: info.en, decision: change.action.slice('dispute.'.length) };
  prepared(db, "INSERT INTO notifications (user_id, kind, student_id, course_id, payload, created_at) VALUES (?, 'dispute', ?, ?, ?, ?)").run(change.studentId, change.studentId, change.courseId, JSON.stringify(payload), now);
  return 1;
}

/**
 * Tells the student and every guardian whose link allows it (full scope: the verdict depends on
 * marks) when exam admission in a course flips. The last admission notice of the (student, course)
 * is the remembered state; with none yet, the student counts as admitted, as everyone is at the start
 * of a term. Only the yes/no is stored.
 */
export function notifyAdmission(
  db: DB, studentId: number, courseId: number, admitted: boolean, now: number, guardianKinds: GuardianKinds,
): number {
  const last = prepared(db, "SELECT payload FROM notifications WHERE kind = 'admission' AND student_id = ? AND course_id = ? ORDER BY id DESC LIMIT 1").get(studentId, courseId) as { payload: string } | undefined;
  const was = last ? (JSON.parse(last.payload) as { admitted?: boolean }).admitted !== false : true;
  if (was === admitted) return 0;
  const subject = prepared(db, 'SELECT s.name_ru AS ru, s.name_en AS en FROM courses c JOIN subjects s ON s.id = c.subject_id WHERE c.id = ?').get(courseId) as { ru: string; en: string } | undefined;
  if (!subject) return 0;
  const payload = JSON.stringify({ subjectRu: subject.ru, subjectEn: subject.en, admitted });
  const recipients = [studentId, ...guardiansToTell(db, studentId, 'admission', guardianKinds)];
  const insert = prepared(db, "INSERT INTO notifications (user_id, kind, student_id, course_id, payload, created_at) VALUES (?, 'admission', ?, ?, ?, ?)");
  let n = 0;
  inTransaction(db, () => {
    for (const userId of recipients) {
      if (mutedKinds(db, userId).includes('admission')) continue;
      insert.run(userId, studentId, courseId, payload, now);
      n++;
    }
  });
  return n;
}
