import { createHash } from 'node:crypto';
import type { DB } from '../client';
import { auditLog } from '../schema';

export type AuditEntry = {
  actorId: number | null;
  actorRole: string | null;
  ip: string | null;
  action: string;
  entity: string;
  entityId?: number | null;
  studentId?: number | null;
  courseId?: number | null;
  lessonId?: number | null;
  before?: unknown;
  after?: unknown;
  reason?: string | null;
  at?: number;
};
export type AuditRow = typeof auditLog.$inferSelect;

export const GENESIS_HASH = '0'.repeat(64);

// The hash covers every column but the id, in a fixed order, so any edit of a row shows up.
export function hashAuditRow(r: Omit<AuditRow, 'id' | 'hash'>): string {
  const canonical = JSON.stringify([
    r.at, r.actorId, r.actorRole, r.ip, r.action, r.entity, r.entityId, r.studentId, r.courseId,
    r.lessonId, r.before, r.after, r.reason, r.prevHash,
  ]);
  return createHash('sha256').update(canonical).digest('hex');
}

/**
 * Appends one row to the chain. Call it inside the transaction that makes the change, so the record
 * and its audit row commit together or not at all. better-sqlite3 transactions are synchronous in one
 * process, so reading the head and appending cannot interleave with another writer.
 */
export function appendAudit(db: DB, e: AuditEntry): AuditRow {
  const head = db.$client.prepare('SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1').get() as { hash: string } | undefined;
  const row = {
    at: e.at ?? Date.now(),
    actorId: e.actorId ?? null,
    actorRole: e.actorRole ?? null,
    ip: e.ip ?? null,
    action: e.action,
    entity: e.entity,
    entityId: e.entityId ?? null,
    studentId: e.studentId ?? null,
    courseId: e.courseId ?? null,
    lessonId: e.lessonId ?? null,
    before: e.before === undefined || e.before === null ? null : JSON.stringify(e.before),
    after: e.after === undefined || e.after === null ? null : JSON.stringify(e.after),
    reason: e.reason ?? null,
    prevHash: head?.hash ?? GENESIS_HASH,
  };
  const hash = hashAuditRow(row);
  return db.insert(auditLog).values({ ...row, hash }).returning().get();
}

export type ChainReport = { ok: true; rows: number } | { ok: false; rows: number; badId: number; problem: 'hash' | 'link' | 'gap' };

/** Walks the whole chain; names the first row whose content, link or id sequence is wrong. */
export function verifyAuditChain(db: DB): ChainReport {
  const stmt = db.$client.prepare('SELECT * FROM audit_log ORDER BY id');
  let prev = GENESIS_HASH;
  let prevId = 0;
  let n = 0;
  for (const raw of stmt.iterate() as Iterable<Record<string, unknown>>) {
    const r = {
      id: raw.id as number, at: raw.at as number, actorId: raw.actor_id as number | null,
      actorRole: raw.actor_role as string | null, ip: raw.ip as string | null, action: raw.action as string,
      entity: raw.entity as string, entityId: raw.entity_id as number | null, studentId: raw.student_id as number | null,
      courseId: raw.course_id as number | null, lessonId: raw.lesson_id as number | null,
      before: raw.before as string | null, after: raw.after as string | null, reason: raw.reason as string | null,
      prevHash: raw.prev_hash as string, hash: raw.hash as string,
    };
    n++;
    if (r.prevHash !== prev) return { ok: false, rows: n, badId: r.id, problem: r.id !== prevId + 1 ? 'gap' : 'link' };
    if (hashAuditRow(r) !== r.hash) return { ok: false, rows: n, badId: r.id, problem: 'hash' };
    if (r.id !== prevId + 1) return { ok: false, rows: n, badId: r.id, problem: 'gap' };
    prev = r.hash;
    prevId = r.id;
  }
  return { ok: true, rows: n };
}
