import { inArray, sql, type SQL } from 'drizzle-orm';
import type { Queryable, Tx } from '../store';
import type { Change } from '../changes';
import { mutedKinds, type NotifyKind } from './notify-settings';
import { noticeVisible, type GuardianKinds, type NoticeFilter } from './notice-visibility';
import type { LinkScope } from '../schema';
import { queueNoticeMail } from './mail';

export type { GuardianKinds, NoticeFilter } from './notice-visibility';

export type NotificationRow = { id: number; kind: NotifyKind; studentId: number | null; courseId: number | null; payload: string; createdAt: number; readAt: number | null };

/**
 * Stores what a change means for the student and each consenting guardian, so someone offline sees
 * it on the next visit. Which guardians hear of which kind is the policy's (guardianKinds): an
 * attendance-only guardian is never told of a mark, and never given a value. Pass the writing
 * transaction: the rows commit with the change (called with the store, it is a transaction of its own).
 */
export async function notifyChange(s: Queryable, change: Change, now: number, guardianKinds: GuardianKinds): Promise<number> {
  if (!change.studentId || !change.courseId || change.auditId === 0) return 0;
  const studentId = change.studentId;
  return s.tx(async (tx) => {
    const row = await tx.get<{ after: string | null; date: string; ru: string; en: string; scaleKind: string }>(sql`SELECT a.after, l.date, s.name_ru AS ru, s.name_en AS en,
        sc.kind AS "scaleKind"
      FROM audit_log a JOIN lessons l ON l.id = a.lesson_id JOIN courses c ON c.id = l.course_id JOIN subjects s ON s.id = c.subject_id
      JOIN scales sc ON sc.id = c.scale_id WHERE a.id = ${change.auditId}`);
    if (!row) return 0;
    const after = row.after ? (JSON.parse(row.after) as Record<string, unknown>) : {};
    const kind: NotifyKind | null = change.entity === 'mark' ? (after.value === null ? null : 'mark')
      : change.entity === 'attendance' ? (after.status === 'absent' ? 'absence' : null)
      : change.entity === 'makeup' ? 'absence' : null;
    if (!kind) return 0;
    const recipients = [studentId, ...(await guardiansToTell(tx, studentId, kind, guardianKinds))];
    let n = 0;
    for (const userId of recipients) {
      if ((await mutedKinds(tx, userId)).includes(kind)) continue;
      const payload = { date: row.date, subjectRu: row.ru, subjectEn: row.en, ...(kind === 'mark' ? { value: after.value, scaleKind: row.scaleKind } : { status: after.status ?? 'pending' }) };
      await storeNotice(tx, { userId, kind, studentId, courseId: change.courseId!, auditId: change.auditId, payload: JSON.stringify(payload) }, now);
      n++;
    }
    return n;
  });
}

type NewNotice = { userId: number; kind: NotifyKind; studentId: number; courseId: number; auditId: number; payload: string };

/**
 * One notification, and in the same transaction the e-mail it owes (issue 15): the mail follows exactly the
 * recipients and scopes decided here, so a guardian is mailed only what the site would show them.
 */
async function storeNotice(tx: Tx, n: NewNotice, now: number): Promise<void> {
  const row = await tx.get<{ id: number }>(sql`INSERT INTO notifications (user_id, kind, student_id, course_id, audit_id, payload, created_at)
    VALUES (${n.userId}, ${n.kind}, ${n.studentId}, ${n.courseId}, ${n.auditId}, ${n.payload}, ${now}) RETURNING id`);
  await queueNoticeMail(tx, n.userId, Number(row!.id), n.kind, now);
}

/** The guardians whose live link lets them hear of this kind of event about the student. */
async function guardiansToTell(s: Queryable, studentId: number, kind: NotifyKind, guardianKinds: GuardianKinds): Promise<number[]> {
  const links = await s.all<{ g: number; scope: LinkScope }>(sql`SELECT guardian_id AS g, scope FROM guardian_links
    WHERE student_id = ${studentId} AND revoked_at IS NULL ORDER BY id`);
  return [...new Set(links.filter((l) => guardianKinds[l.scope]?.includes(kind)).map((l) => l.g))];
}

export async function unreadCount(s: Queryable, f: NoticeFilter): Promise<number> {
  return Number((await s.get<{ n: number }>(sql`SELECT count(*) AS n FROM notifications n WHERE ${noticeVisible(f)} AND n.read_at IS NULL`))!.n);
}

export async function notificationsOf(s: Queryable, f: NoticeFilter, limit = 50): Promise<NotificationRow[]> {
  return s.all<NotificationRow>(sql`SELECT n.id, n.kind, n.student_id AS "studentId", n.course_id AS "courseId", n.payload,
      n.created_at AS "createdAt", n.read_at AS "readAt"
    FROM notifications n WHERE ${noticeVisible(f)} ORDER BY n.id DESC LIMIT ${limit}`);
}

/** Only what the reader can see is marked read: a hidden row was not read, and is unread if the link widens again. */
export async function markAllRead(s: Queryable, f: NoticeFilter, now: number): Promise<number> {
  return (await s.run(sql`UPDATE notifications AS n SET read_at = ${now} WHERE ${noticeVisible(f)} AND n.read_at IS NULL`)).changes;
}

/**
 * Who was notified by the audit rows in (afterId, upToId]: the publisher pushes their unread counts
 * once per batch of the log (one indexed range read).
 */
export async function notifiedByAudit(s: Queryable, afterId: number, upToId: number): Promise<number[]> {
  const rows = await s.all<{ id: number }>(sql`SELECT DISTINCT user_id AS id FROM notifications
    WHERE audit_id > ${afterId} AND audit_id <= ${upToId}`);
  return rows.map((r) => Number(r.id));
}

type LessonInfo = { date: string; ru: string; en: string };
const lessonInfo = (s: Queryable, lessonId: number) => s.get<LessonInfo>(sql`SELECT l.date, s.name_ru AS ru, s.name_en AS en FROM lessons l
  JOIN courses c ON c.id = l.course_id JOIN subjects s ON s.id = c.subject_id WHERE l.id = ${lessonId}`);

export type DisputeAnswer = {
  auditId: number; studentId: number; courseId: number; lessonId: number; decision: 'accepted' | 'rejected';
};

/**
 * The student hears the answer to their dispute (the dispute is theirs alone: guardians are not told).
 * Pass the transaction that closes the dispute: the notice belongs to its audit row.
 */
export async function notifyDispute(s: Queryable, d: DisputeAnswer, now: number): Promise<number> {
  const { studentId, lessonId } = d;
  return s.tx(async (tx) => {
    const info = await lessonInfo(tx, lessonId);
    if (!info || (await mutedKinds(tx, studentId)).includes('dispute')) return 0;
    const payload = { date: info.date, subjectRu: info.ru, subjectEn: info.en, decision: d.decision };
    await storeNotice(tx, { userId: studentId, kind: 'dispute', studentId, courseId: d.courseId, auditId: d.auditId, payload: JSON.stringify(payload) }, now);
    return 1;
  });
}

/**
 * Tells the student and every guardian whose link allows it (full scope: the verdict depends on
 * marks) when exam admission in a course flips. The last admission notice of the (student, course)
 * is the remembered state; with none yet, the student counts as admitted, as everyone is at the start
 * of a term. Only the yes/no is stored, with the audit row of the change that flipped it.
 */
export async function notifyAdmission(
  s: Queryable, studentId: number, courseId: number, admitted: boolean, now: number, guardianKinds: GuardianKinds, auditId: number,
): Promise<number> {
  return s.tx(async (tx) => {
    const last = await tx.get<{ payload: string }>(sql`SELECT payload FROM notifications WHERE kind = 'admission' AND student_id = ${studentId} AND course_id = ${courseId}
      ORDER BY id DESC LIMIT 1`);
    // The caller saw a flip; an earlier notice already saying this state (the state went and came back
    // without a word, or two writers raced) is not repeated.
    if (last && (JSON.parse(last.payload) as { admitted?: boolean }).admitted !== false === admitted) return 0;
    const subject = await tx.get<{ ru: string; en: string }>(sql`SELECT s.name_ru AS ru, s.name_en AS en FROM courses c JOIN subjects s ON s.id = c.subject_id WHERE c.id = ${courseId}`);
    if (!subject) return 0;
    const payload = JSON.stringify({ subjectRu: subject.ru, subjectEn: subject.en, admitted });
    const recipients = [studentId, ...(await guardiansToTell(tx, studentId, 'admission', guardianKinds))];
    let n = 0;
    for (const userId of recipients) {
      if ((await mutedKinds(tx, userId)).includes('admission')) continue;
      await storeNotice(tx, { userId, kind: 'admission', studentId, courseId, auditId, payload }, now);
      n++;
    }
    return n;
  });
}
