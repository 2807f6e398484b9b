// The one path a journal cell takes: policy → domain validation → one transaction per change
// (record + version + audit row) → publish after commit. Routes only parse and render.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { Id } from '../params';
import { can, hasRole } from '../policy';
import { inTransaction } from '../../db/client';
import { loadJournalCourse } from '../../db/queries/journal';
import { readRecord, writeRecord, StaleVersion, type Actor, type WriteResult } from '../../db/queries/records';
import { currentUserById, type CurrentUser } from '../../db/queries/users';
import { parseCellInput } from '../domain/cell-input';
import { editPermission } from '../domain/editing';
import { expectedLessons } from '../domain/attendance';
import { dateInZone } from '../../views/format';

/** What the grid and the lesson list send for one cell. */
export const CellBody = z.object({
  lessonId: Id,
  studentId: Id,
  value: z.string().max(20),
  av: z.coerce.number().int().min(0).default(0),
  mv: z.coerce.number().int().min(0).default(0),
  reason: z.string().trim().max(500).optional(),
  view: z.enum(['grid', 'list']).optional(),
});

export type CellWriteOutcome =
  | { kind: 'ok'; results: WriteResult[] }
  | { kind: 'notFound' }
  | { kind: 'invalid' | 'reasonRequired' | 'forbidden'; error: string; params?: Record<string, string | number> }
  | { kind: 'conflict'; updatedBy: CurrentUser | null; updatedAt: number | null };

type Lesson = { id: number; course_id: number; date: string; kind: string; group_id: number | null; cancelled: number };

export function writeCell(app: FastifyInstance, req: FastifyRequest, courseId: number, b: z.infer<typeof CellBody>): CellWriteOutcome {
  const db = app.db;
  const user = req.user!;
  const teacher = can(db, user, { do: 'journal.write', courseId });
  const admin = !teacher && can(db, user, { do: 'journal.override', courseId });
  if (!teacher && !admin) {
    const course = loadJournalCourse(db, courseId);
    return { kind: 'forbidden', error: course?.termLocked && hasRole(user, 'teacher') ? 'edit.termLocked' : 'edit.notAllowed' };
  }
  const lesson = db.$client.prepare('SELECT id, course_id, date, kind, group_id, cancelled FROM lessons WHERE id = ?').get(b.lessonId) as Lesson | undefined;
  if (!lesson || lesson.course_id !== courseId) return { kind: 'invalid', error: 'cell.lessonNotInCourse' };
  const course = loadJournalCourse(db, courseId)!;
  const memberships = db.$client.prepare('SELECT group_id AS groupId, from_date AS "from", to_date AS "to" FROM group_memberships WHERE student_id = ?').all(b.studentId) as { groupId: number; from: string; to: string | null }[];
  const today = dateInZone(app.clock(), app.config.universityTz);
  const inLesson = expectedLessons([{ id: lesson.id, date: lesson.date, kind: lesson.kind as never, groupId: lesson.group_id, cancelled: false }], memberships, course.groups.map((g) => g.id), '9999-12-31');
  if (inLesson.length === 0) return { kind: 'invalid', error: 'cell.studentNotInCourse' };

  const input = parseCellInput(b.value, course.scale);
  if (input.type === 'error') return { kind: 'invalid', error: input.error, params: input.params };
  const permission = editPermission({ lessonDate: lesson.date, today, termLocked: course.termLocked, cancelled: !!lesson.cancelled, actor: admin ? 'admin' : 'teacher', reason: b.reason });
  if (!permission.ok) return permission.error === 'edit.reasonRequired' ? { kind: 'reasonRequired', error: permission.error } : { kind: 'invalid', error: permission.error };

  const actor: Actor = { id: user.id, role: admin ? 'admin' : 'teacher', ip: req.ip };
  const key = { lessonId: lesson.id, studentId: b.studentId, courseId };
  const reason = b.reason && b.reason.length > 0 ? b.reason : null;
  const now = app.clock();
  try {
    const results = inTransaction(db, () => {
      const out: WriteResult[] = [];
      const att = readRecord(db, 'attendance', lesson.id, b.studentId);
      const mark = readRecord(db, 'mark', lesson.id, b.studentId);
      if (input.type === 'status') {
        out.push(writeRecord(db, 'attendance', key, { status: input.status, ...(input.status !== 'absent' ? { reasonStatus: 'unknown', reasonId: null } : {}) }, b.av, actor, reason, now));
      } else if (input.type === 'mark') {
        // A mark means the student was there: record presence unless attendance says otherwise.
        if (!att || att.values.status === null) out.push(writeRecord(db, 'attendance', key, { status: 'present' }, b.av, actor, reason, now));
        out.push(writeRecord(db, 'mark', key, { value: input.value }, b.mv, actor, reason, now));
      } else if (mark && mark.values.value !== null) {
        out.push(writeRecord(db, 'mark', key, { value: null }, b.mv, actor, reason, now));
      } else if (att && att.values.status !== null) {
        out.push(writeRecord(db, 'attendance', key, { status: null, reasonStatus: 'unknown', reasonId: null, documentRef: null }, b.av, actor, reason, now));
      }
      return out;
    });
    for (const r of results) {
      if (!r.changed) continue;
      app.changes.publish({ auditId: r.auditId, entity: r.entity, action: `${r.entity}.${r.before ? 'update' : 'create'}`, courseId, studentId: b.studentId, lessonId: lesson.id, actorId: user.id });
    }
    return { kind: 'ok', results };
  } catch (e) {
    if (e instanceof StaleVersion) {
      return { kind: 'conflict', updatedBy: e.current?.updatedBy ? currentUserById(db, e.current.updatedBy) ?? null : null, updatedAt: e.current?.updatedAt ?? null };
    }
    throw e;
  }
}
