// The one write path for records keyed by (lesson, student): compare the version the client saw,
// write, bump the version and append the audit row, all in one transaction. Callers publish the
// change after this returns (the transaction has committed by then).
import { sql } from 'drizzle-orm';
import type { Queryable } from '../store';
import { appendAudit } from './audit';

export type RecordEntity = 'mark' | 'attendance' | 'makeup';
export type Actor = { id: number; role: string; ip: string | null };

export type MarkValues = { value: number | null; comment?: string | null };
export type AttendanceValues = {
  status?: 'present' | 'late' | 'absent' | null;
  reasonStatus?: 'unknown' | 'excused' | 'unexcused';
  reasonId?: number | null;
  documentRef?: string | null;
  approvedBy?: number | null;
  approvedAt?: number | null;
};
export type MakeupValues = {
  status: 'pending' | 'done' | 'waived';
  doneOn?: string | null;
  teacherId?: number | null;
  mark?: number | null;
  waiveReason?: string | null;
};
type ValuesOf = { mark: MarkValues; attendance: AttendanceValues; makeup: MakeupValues };

// Column whitelists: the only names that ever reach the SQL text.
const TABLES = {
  mark: { table: 'marks', cols: { value: 'value', comment: 'comment' } },
  attendance: {
    table: 'attendance',
    cols: { status: 'status', reasonStatus: 'reason_status', reasonId: 'reason_id', documentRef: 'document_ref', approvedBy: 'approved_by', approvedAt: 'approved_at' },
  },
  makeup: { table: 'makeups', cols: { status: 'status', doneOn: 'done_on', teacherId: 'teacher_id', mark: 'mark', waiveReason: 'waive_reason' } },
} as const;

export type StoredRecord = { id: number; version: number; updatedBy: number | null; updatedAt: number; values: Record<string, unknown> };

/** Thrown when the client's version is not the stored one: nothing is written, the caller shows the current value. */
export class StaleVersion extends Error {
  constructor(readonly current: StoredRecord | null) {
    super('stale version');
  }
}

export async function readRecord(s: Queryable, entity: RecordEntity, lessonId: number, studentId: number): Promise<StoredRecord | null> {
  const { table, cols } = TABLES[entity];
  const row = await s.get<Record<string, unknown>>(
    sql`SELECT * FROM ${sql.raw(table)} WHERE lesson_id = ${lessonId} AND student_id = ${studentId}`);
  if (!row) return null;
  const values: Record<string, unknown> = {};
  for (const [k, c] of Object.entries(cols)) values[k] = row[c];
  return { id: row.id as number, version: row.version as number, updatedBy: row.updated_by as number | null, updatedAt: row.updated_at as number, values };
}

export type WriteResult = { entity: RecordEntity; auditId: number; version: number; before: Record<string, unknown> | null; after: Record<string, unknown>; changed: boolean };

/**
 * expectedVersion is the version the client saw (0 = it saw no record). A write that changes
 * nothing is acknowledged without a new version or audit row.
 */
export async function writeRecord<E extends RecordEntity>(
  s: Queryable,
  entity: E,
  key: { lessonId: number; studentId: number; courseId: number },
  values: ValuesOf[E],
  expectedVersion: number,
  actor: Actor,
  reason: string | null,
  now: number,
): Promise<WriteResult> {
  const { table, cols } = TABLES[entity];
  const colOf = (k: string) => sql.raw((cols as Record<string, string>)[k]);
  // A transaction of its own, or a savepoint of the caller's: a StaleVersion undoes just this write.
  return s.tx(async (tx) => {
    const current = await readRecord(tx, entity, key.lessonId, key.studentId);
    if ((current?.version ?? 0) !== expectedVersion) throw new StaleVersion(current);
    const given = Object.entries(values).filter(([k, v]) => k in cols && v !== undefined) as [string, unknown][];
    const before = current?.values ?? null;
    const after = { ...(before ?? {}), ...Object.fromEntries(given) };
    if (current && given.every(([k, v]) => current.values[k] === v)) {
      return { entity, auditId: 0, version: current.version, before, after, changed: false };
    }
    let id: number;
    const version = (current?.version ?? 0) + 1;
    if (current) {
      const sets = given.map(([k, v]) => sql`${colOf(k)} = ${v}`);
      sets.push(sql`version = ${version}`, sql`updated_by = ${actor.id}`, sql`updated_at = ${now}`);
      await tx.run(sql`UPDATE ${sql.raw(table)} SET ${sql.join(sets, sql`, `)} WHERE id = ${current.id}`);
      id = current.id;
    } else {
      const names = [sql`lesson_id`, sql`student_id`, ...given.map(([k]) => colOf(k)), sql`version`, sql`updated_by`, sql`updated_at`];
      const vals = [key.lessonId, key.studentId, ...given.map(([, v]) => v), version, actor.id, now].map((v) => sql`${v}`);
      const r = await tx.get<{ id: number }>(sql`INSERT INTO ${sql.raw(table)} (${sql.join(names, sql`, `)})
        VALUES (${sql.join(vals, sql`, `)}) RETURNING id`);
      id = r!.id;
    }
    const audit = await appendAudit(tx, {
      actorId: actor.id, actorRole: actor.role, ip: actor.ip, at: now,
      action: `${entity}.${current ? 'update' : 'create'}`, entity, entityId: id,
      studentId: key.studentId, courseId: key.courseId, lessonId: key.lessonId,
      before: before ? { ...before, version: current!.version } : null, after: { ...after, version }, reason,
    });
    return { entity, auditId: audit.id, version, before, after, changed: true };
  });
}
