// The one path a journal cell takes: policy → domain validation → one transaction (records + versions
// + audit rows + the notifications they cause). The change publisher hands the audit rows to live pages
// after the commit (server/realtime/publisher.ts). Routes only parse and render.
import { z } from 'zod';
import { Id, Version } from '../params';
import { can, type Facts } from '../policy';
import type { Queryable } from '../../db/store';
import { loadJournalCourse } from '../../db/queries/journal';
import { lessonById } from '../../db/queries/lessons';
import { studentMemberships } from '../../db/queries/lesson-admin';
import { readRecord, writeRecord, StaleVersion, type Actor, type WriteResult } from '../../db/queries/records';
import { currentUserById, type CurrentUser } from '../../db/queries/users';
import { admissionBefore, noticeRecordChanges } from '../progress/notices';
import { parseCellInput } from '../domain/cell-input';
import { editPermission } from '../domain/editing';
import { expectedLessons } from '../domain/attendance';
import { dateInZone } from '../domain/time';

/** What the grid and the lesson list send for one cell. */
export const CellBody = z.object({
  lessonId: Id,
  studentId: Id,
  value: z.string().max(20),
  av: Version.default(0),
  mv: Version.default(0),
  reason: z.string().trim().max(500).optional(),
  view: z.enum(['grid', 'list']).optional(),
});

/**
 * The lesson list's one form per student carries the mark as `mark` and a status button's code as
 * `value`: a status pressed writes the status, Save (an empty `value`) writes the mark.
 */
export function listFormBody(raw: unknown): unknown {
  if (!raw || typeof raw !== 'object') return raw;
  const r = raw as Record<string, unknown>;
  if (r.view !== 'list' || typeof r.mark !== 'string' || (r.value !== undefined && r.value !== '')) return raw;
  const { mark, ...rest } = r;
  return { ...rest, value: mark };
}

export type CellWriteOutcome =
  | { kind: 'ok'; results: WriteResult[] }
  | { kind: 'notFound' }
  | { kind: 'invalid' | 'reasonRequired' | 'forbidden'; error: string; params?: Record<string, string | number> }
  | { kind: 'conflict'; updatedBy: CurrentUser | null; updatedAt: number | null };

/** Who writes: the signed-in user, the policy's facts about them (with the course's loaded), where from. */
export type CellActor = { user: CurrentUser; facts: Facts; ip: string | null };

/**
 * Writes one cell. With the store it is a transaction of its own; with a transaction (a dispute or a
 * correction being closed in the same one) it joins it as a savepoint. The notifications the change
 * causes are written in the same transaction: they commit or roll back with it.
 */
export async function writeCell(
  s: Queryable, actor: CellActor, courseId: number, b: z.infer<typeof CellBody>, now: number, universityTz: string,
): Promise<CellWriteOutcome> {
  const { user, facts } = actor;
  const teacher = can(facts, { do: 'journal.write', courseId });
  const admin = !teacher && can(facts, { do: 'journal.override', courseId });
  if (!teacher && !admin) {
    const course = await loadJournalCourse(s, courseId);
    return { kind: 'forbidden', error: course?.termLocked && can(facts, { do: 'teacher.any' }) ? 'edit.termLocked' : 'edit.notAllowed' };
  }
  const lesson = await lessonById(s, b.lessonId);
  if (!lesson || lesson.courseId !== courseId) return { kind: 'invalid', error: 'cell.lessonNotInCourse' };
  const course = (await loadJournalCourse(s, courseId))!;
  const memberships = await studentMemberships(s, b.studentId);
  const today = dateInZone(now, universityTz);
  const inLesson = expectedLessons([{ id: lesson.id, date: lesson.date, kind: lesson.kind, groupId: lesson.groupId, cancelled: false }], memberships, course.groups.map((g) => g.id), '9999-12-31');
  if (inLesson.length === 0) return { kind: 'invalid', error: 'cell.studentNotInCourse' };

  const input = parseCellInput(b.value, course.scale);
  if (input.type === 'error') return { kind: 'invalid', error: input.error, params: input.params };
  const permission = editPermission({ lessonDate: lesson.date, today, termLocked: course.termLocked, cancelled: !!lesson.cancelled, actor: admin ? 'admin' : 'teacher', reason: b.reason });
  if (!permission.ok) return permission.error === 'edit.reasonRequired' ? { kind: 'reasonRequired', error: permission.error } : { kind: 'invalid', error: permission.error };

  const by: Actor = { id: user.id, role: admin ? 'admin' : 'teacher', ip: actor.ip };
  const key = { lessonId: lesson.id, studentId: b.studentId, courseId };
  const reason = b.reason && b.reason.length > 0 ? b.reason : null;
  try {
    const results = await s.tx(async (tx) => {
      const before = await admissionBefore(tx, [{ studentId: b.studentId, courseId }], now, universityTz);
      const out: WriteResult[] = [];
      const att = await readRecord(tx, 'attendance', lesson.id, b.studentId);
      const mark = await readRecord(tx, 'mark', lesson.id, b.studentId);
      if (input.type === 'status') {
        out.push(await writeRecord(tx, 'attendance', key, { status: input.status, ...(input.status !== 'absent' ? { reasonStatus: 'unknown', reasonId: null } : {}) }, b.av, by, reason, now));
      } else if (input.type === 'both') {
        // "о 5" or "н 8": each half is written only where it changes, so retyping what the cell shows
        // (a made-up absence shows the make-up's mark) writes nothing new.
        const madeUp = input.status === 'absent' && (mark?.values.value ?? null) === null && (await readRecord(tx, 'makeup', lesson.id, b.studentId))?.values.mark === input.value;
        if (att?.values.status !== input.status) {
          out.push(await writeRecord(tx, 'attendance', key, { status: input.status, ...(input.status !== 'absent' ? { reasonStatus: 'unknown', reasonId: null } : {}) }, b.av, by, reason, now));
        }
        if (!madeUp && mark?.values.value !== input.value) out.push(await writeRecord(tx, 'mark', key, { value: input.value }, b.mv, by, reason, now));
      } else if (input.type === 'mark') {
        // A mark means the student was there: record presence unless attendance says otherwise.
        if (!att || att.values.status === null) out.push(await writeRecord(tx, 'attendance', key, { status: 'present' }, b.av, by, reason, now));
        out.push(await writeRecord(tx, 'mark', key, { value: input.value }, b.mv, by, reason, now));
      } else if (mark && mark.values.value !== null) {
        out.push(await writeRecord(tx, 'mark', key, { value: null }, b.mv, by, reason, now));
      } else if (att && att.values.status !== null) {
        out.push(await writeRecord(tx, 'attendance', key, { status: null, reasonStatus: 'unknown', reasonId: null, documentRef: null }, b.av, by, reason, now));
      }
      const changed = out.filter((r) => r.changed);
      const notices = changed.map((r) => ({ auditId: r.auditId, entity: r.entity, courseId, studentId: b.studentId }));
      await noticeRecordChanges(tx, notices, now, universityTz, before);
      return out;
    });
    return { kind: 'ok', results };
  } catch (e) {
    if (e instanceof StaleVersion) {
      return { kind: 'conflict', updatedBy: e.current?.updatedBy ? (await currentUserById(s, e.current.updatedBy)) ?? null : null, updatedAt: e.current?.updatedAt ?? null };
    }
    throw e;
  }
}
