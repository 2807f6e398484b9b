import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Queryable, Tx } from '../store';
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

function auditValues(e: AuditEntry, prevHash: string) {
  return {
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
    prevHash,
  };
}

/**
 * Appends one row to the chain inside the transaction that makes the change, so the record and its
 * audit row commit together or not at all. The one-row head is read and moved in the same
 * transaction (locked FOR UPDATE on PostgreSQL; BEGIN IMMEDIATE already serialises SQLite): ids are
 * gapless in commit order and two writers can never both extend the same row.
 */
/**
 * Takes the audit head's lock now (PostgreSQL; SQLite's transactions are serial already), for a change
 * that must read something before it writes it, such as the year's next statement number: writers
 * queue here, as they would at their audit row anyway, so no two read the same count.
 */
export async function lockAuditHead(tx: Tx): Promise<void> {
  if (tx.dialect === 'postgres') await tx.get(sql`SELECT last_id FROM audit_head WHERE id = 1 FOR UPDATE`);
}

export async function appendAudit(tx: Tx, e: AuditEntry): Promise<AuditRow> {
  const lock = tx.dialect === 'postgres' ? sql` FOR UPDATE` : sql``;
  const head = await tx.get<{ lastId: number; lastHash: string }>(
    sql`SELECT last_id AS "lastId", last_hash AS "lastHash" FROM audit_head WHERE id = 1${lock}`);
  if (!head) throw new Error('audit_head is missing: the database was not migrated');
  const row = { id: head.lastId + 1, ...auditValues(e, head.lastHash) };
  const hash = hashAuditRow(row);
  await tx.run(sql`INSERT INTO audit_log (id, at, actor_id, actor_role, ip, action, entity, entity_id, student_id, course_id,
      lesson_id, before, after, reason, prev_hash, hash)
    VALUES (${row.id}, ${row.at}, ${row.actorId}, ${row.actorRole}, ${row.ip}, ${row.action}, ${row.entity}, ${row.entityId},
      ${row.studentId}, ${row.courseId}, ${row.lessonId}, ${row.before}, ${row.after}, ${row.reason}, ${row.prevHash}, ${hash})`);
  await tx.run(sql`UPDATE audit_head SET last_id = ${row.id}, last_hash = ${hash} WHERE id = 1`);
  return { ...row, hash };
}

export type ChainReport = { ok: true; rows: number } | { ok: false; rows: number; badId: number; problem: 'hash' | 'link' | 'gap' | 'head' };

const PAGE = 5000;

type RawAuditRow = {
  id: number; at: number; actorId: number | null; actorRole: string | null; ip: string | null; action: string; entity: string;
  entityId: number | null; studentId: number | null; courseId: number | null; lessonId: number | null;
  before: string | null; after: string | null; reason: string | null; prevHash: string; hash: string;
};

/**
 * Walks the whole chain in pages of PAGE rows by id (never the whole log in memory); names the
 * first row whose content, link or id sequence is wrong.
 */
export async function verifyAuditChain(s: Queryable): Promise<ChainReport> {
  let prev = GENESIS_HASH;
  let prevId = 0;
  let n = 0;
  let last = 0;
  for (;;) {
    const page = await s.all<RawAuditRow>(sql`SELECT id, at, actor_id AS "actorId", actor_role AS "actorRole", ip, action, entity,
        entity_id AS "entityId", student_id AS "studentId", course_id AS "courseId", lesson_id AS "lessonId",
        before, after, reason, prev_hash AS "prevHash", hash
      FROM audit_log WHERE id > ${last} ORDER BY id LIMIT ${PAGE}`);
    for (const raw of page) {
      // PostgreSQL hands bigint columns back as strings: the hash is over numbers.
      const r = {
        ...raw, id: Number(raw.id), at: Number(raw.at), actorId: num(raw.actorId), entityId: num(raw.entityId),
        studentId: num(raw.studentId), courseId: num(raw.courseId), lessonId: num(raw.lessonId),
      };
      n++;
      if (r.prevHash !== prev) return { ok: false, rows: n, badId: r.id, problem: r.id !== prevId + 1 ? 'gap' : 'link' };
      if (hashAuditRow(r) !== r.hash) return { ok: false, rows: n, badId: r.id, problem: 'hash' };
      if (r.id !== prevId + 1) return { ok: false, rows: n, badId: r.id, problem: 'gap' };
      prev = r.hash;
      prevId = r.id;
    }
    if (page.length < PAGE) break;
    last = prevId;
  }
  // The head names the last row: a row cut off the end of the log shows up here.
  const head = await s.get<{ lastId: number; lastHash: string }>(
    sql`SELECT last_id AS "lastId", last_hash AS "lastHash" FROM audit_head WHERE id = 1`);
  if (head && (Number(head.lastId) !== prevId || head.lastHash !== prev)) return { ok: false, rows: n, badId: Number(head.lastId), problem: 'head' };
  return { ok: true, rows: n };
}

function num(v: number | null): number | null {
  return v === null ? null : Number(v);
}
