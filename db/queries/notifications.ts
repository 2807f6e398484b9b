import { prepared, inTransaction, type DB } from '../client';
import type { Change } from '../../server/realtime/changes';
import { mutedKinds, type NotifyKind } from './notify-settings';

export type NotificationRow = { id: number; kind: NotifyKind; studentId: number | null; courseId: number | null; payload: string; createdAt: number; readAt: number | null };

/**
 * Stores what a change means for the student and each consenting guardian, so someone offline sees
 * it on the next visit. An attendance-only guardian is never told of a mark, and never given a value.
 */
export function notifyChange(db: DB, change: Change, now: number): number {
  if (!change.studentId || !change.courseId || change.auditId === 0) return 0;
  const row = prepared(db, `SELECT a.after, l.date, s.name_ru AS ru, s.name_en AS en FROM audit_log a JOIN lessons l ON l.id = a.lesson_id
    JOIN courses c ON c.id = l.course_id JOIN subjects s ON s.id = c.subject_id WHERE a.id = ?`).get(change.auditId) as { after: string | null; date: string; ru: string; en: string } | undefined;
  if (!row) return 0;
  const after = row.after ? (JSON.parse(row.after) as Record<string, unknown>) : {};
  const kind: NotifyKind | null = change.entity === 'mark' ? (after.value === null ? null : 'mark')
    : change.entity === 'attendance' ? (after.status === 'absent' ? 'absence' : null)
    : change.entity === 'makeup' ? 'absence' : null;
  if (!kind) return 0;
  const recipients: { userId: number; full: boolean }[] = [{ userId: change.studentId, full: true }];
  for (const l of prepared(db, 'SELECT guardian_id AS g, scope FROM guardian_links WHERE student_id = ? AND revoked_at IS NULL').all(change.studentId) as { g: number; scope: string }[]) {
    recipients.push({ userId: l.g, full: l.scope === 'full' });
  }
  const insert = prepared(db, 'INSERT INTO notifications (user_id, kind, student_id, course_id, audit_id, payload, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)');
  let n = 0;
  inTransaction(db, () => {
    for (const r of recipients) {
      if (kind === 'mark' && !r.full) continue;
      if (mutedKinds(db, r.userId).includes(kind)) continue;
      const payload = { date: row.date, subjectRu: row.ru, subjectEn: row.en, ...(kind === 'mark' ? { value: after.value } : { status: after.status ?? 'pending' }) };
      insert.run(r.userId, kind, change.studentId, change.courseId, change.auditId, JSON.stringify(payload), now);
      n++;
    }
  });
  return n;
}

export function unreadCount(db: DB, userId: number): number {
  return (prepared(db, 'SELECT count(*) AS n FROM notifications WHERE user_id = ? AND read_at IS NULL').get(userId) as { n: number }).n;
}

export function notificationsOf(db: DB, userId: number, limit = 50): NotificationRow[] {
  return prepared(db, 'SELECT id, kind, student_id AS studentId, course_id AS courseId, payload, created_at AS createdAt, read_at AS readAt FROM notifications WHERE user_id = ? ORDER BY id DESC LIMIT ?').all(userId, limit) as NotificationRow[];
}

export function markAllRead(db: DB, userId: number, now: number): number {
  return prepared(db, 'UPDATE notifications SET read_at = ? WHERE user_id = ? AND read_at IS NULL').run(now, userId).changes;
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
 * Tells the student and every consenting guardian when exam admission in a course flips. The last
 * admission notice of the (student, course) is the remembered state; with none yet, the student
 * counts as admitted, as everyone is at the start of a term. Only the yes/no is stored: the reasons
 * can name a rating, which an attendance-only guardian must not learn.
 */
export function notifyAdmission(db: DB, studentId: number, courseId: number, admitted: boolean, now: number): number {
  const last = prepared(db, "SELECT payload FROM notifications WHERE kind = 'admission' AND student_id = ? AND course_id = ? ORDER BY id DESC LIMIT 1").get(studentId, courseId) as { payload: string } | undefined;
  const was = last ? (JSON.parse(last.payload) as { admitted?: boolean }).admitted !== false : true;
  if (was === admitted) return 0;
  const subject = prepared(db, 'SELECT s.name_ru AS ru, s.name_en AS en FROM courses c JOIN subjects s ON s.id = c.subject_id WHERE c.id = ?').get(courseId) as { ru: string; en: string } | undefined;
  if (!subject) return 0;
  const payload = JSON.stringify({ subjectRu: subject.ru, subjectEn: subject.en, admitted });
  const recipients = [studentId, ...(prepared(db, 'SELECT guardian_id AS g FROM guardian_links WHERE student_id = ? AND revoked_at IS NULL').all(studentId) as { g: number }[]).map((r) => r.g)];
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
