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
