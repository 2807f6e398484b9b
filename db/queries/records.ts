// The one write path for records keyed by (lesson, student): compare the version the client saw,
// write, bump the version and append the audit row, all in one transaction. Callers publish the
// change after this returns (the transaction has committed by then).
import type { DB } from '../client';
import { inTransaction } from '../client';
import { appendAuditSync } from './audit';

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

export function readRecord(db: DB, entity: RecordEntity, lessonId: number, studentId: number): StoredRecord | null {
  const { table, cols } = TABLES[entity];
  const row = db.$client.prepare(`SELECT * FROM ${table} WHERE lesson_id = ? AND student_id = ?`).get(lessonId, studentId) as Record<string, unknown> | undefined;
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
export function writeRecord<E extends RecordEntity>(
  db: DB,
  entity: E,
  key: { lessonId: number; studentId: number; courseId: number },
  values: ValuesOf[E],
  expectedVersion: number,
  actor: Actor,
  reason: string | null,
  now: number,
): WriteResult {
  const { table, cols } = TABLES[entity];
  return inTransaction(db, () => {
    const current = readRecord(db, entity, key.lessonId, key.studentId);
    if ((current?.version ?? 0) !== expectedVersion) throw new StaleVersion(current);
    const given = Object.entries(values).filter(([k, v]) => k in cols && v !== undefined) as [keyof typeof cols, unknown][];
    const before = current?.values ?? null;
    const after = { ...(before ?? {}), ...Object.fromEntries(given) };
    if (current && given.every(([k, v]) => current.values[k as string] === v)) {
      return { entity, auditId: 0, version: current.version, before, after, changed: false };
    }
    let id: number;
    const version = (current?.version ?? 0) + 1;
    if (current) {
      const sets = given.map(([k]) => `${(cols as Record<string, string>)[k as string]} = ?`).join(', ');
      db.$client.prepare(`UPDATE ${table} SET ${sets}, version = ?, updated_by = ?, updated_at = ? WHERE id = ?`)
        .run(...given.map(([, v]) => toSql(v)), version, actor.id, now, current.id);
      id = current.id;
    } else {
      const names = given.map(([k]) => (cols as Record<string, string>)[k as string]);
      const r = db.$client.prepare(`INSERT INTO ${table} (lesson_id, student_id, ${names.join(', ')}${names.length ? ', ' : ''}version, updated_by, updated_at) VALUES (?, ?, ${names.map(() => '?, ').join('')}?, ?, ?)`)
        .run(key.lessonId, key.studentId, ...given.map(([, v]) => toSql(v)), version, actor.id, now);
      id = Number(r.lastInsertRowid);
    }
    const audit = appendAuditSync(db, {
      actorId: actor.id, actorRole: actor.role, ip: actor.ip, at: now,
      action: `${entity}.${current ? 'update' : 'create'}`, entity, entityId: id,
      studentId: key.studentId, courseId: key.courseId, lessonId: key.lessonId,
      before: before ? { ...before, version: current!.version } : null, after: { ...after, version }, reason,
    });
    return { entity, auditId: audit.id, version, before, after, changed: true };
  });
}

function toSql(v: unknown): unknown {
  return typeof v === 'boolean' ? (v ? 1 : 0) : v;
}
