// Moving a register (`npm run db:copy`): every table of a SQLite register copied into an empty PostgreSQL
// one, ids kept, in one transaction, then checked: the same row count in every table and an audit chain
// that verifies on the target (its hashes are byte-identical: instants stay epoch ms, before/after text).
import { getTableConfig, type PgTable } from 'drizzle-orm/pg-core';
import { is, sql } from 'drizzle-orm';
import { PgTable as PgTableClass } from 'drizzle-orm/pg-core';
import * as pgSchema from './schema-pg';
import type { Queryable, Store } from './store';
import { verifyAuditChain, type ChainReport } from './queries/audit';

const BATCH = 500;

type TableInfo = { name: string; columns: { name: string; flag: boolean }[]; dependsOn: string[] };

/** The tables in an order where every foreign key points at a table already copied. */
export function copyOrder(): TableInfo[] {
  const tables = Object.values(pgSchema).filter((v) => is(v, PgTableClass)).map((t) => getTableConfig(t as PgTable));
  const info = tables.map((t) => ({
    name: t.name,
    columns: t.columns.map((c) => ({ name: c.name, flag: c.getSQLType() === 'boolean' })),
    dependsOn: t.foreignKeys.map((f) => getTableConfig(f.reference().foreignTable).name).filter((n) => n !== t.name),
  }));
  const done = new Set<string>();
  const order: TableInfo[] = [];
  while (order.length < info.length) {
    const next = info.filter((t) => !done.has(t.name) && t.dependsOn.every((d) => done.has(d)));
    if (next.length === 0) throw new Error('db:copy: the foreign keys form a cycle');
    for (const t of next.sort((a, b) => a.name.localeCompare(b.name))) {
      order.push(t);
      done.add(t.name);
    }
  }
  return order;
}

export type CopyReport = { tables: { name: string; source: number; target: number }[]; chain: ChainReport };

async function countRows(s: Queryable, table: string): Promise<number> {
  return Number((await s.get<{ n: number }>(sql`SELECT count(*) AS n FROM ${sql.identifier(table)}`))!.n);
}

/** Refuses a target that already holds a register: copying is for an empty, freshly migrated database. */
export async function targetIsEmpty(target: Queryable): Promise<boolean> {
  for (const t of copyOrder()) if (t.name !== 'audit_head' && (await countRows(target, t.name)) > 0) return false;
  return true;
}

export async function copyRegister(source: Queryable, target: Store, onTable?: (name: string, rows: number) => void): Promise<CopyReport> {
  if (target.dialect !== 'postgres') throw new Error('db:copy copies into PostgreSQL');
  const order = copyOrder();
  await target.tx(async (tx) => {
    for (const t of order) {
      const cols = sql.join(t.columns.map((c) => sql.identifier(c.name)), sql`, `);
      let copied = 0;
      if (t.name === 'audit_head') {
        // The target's head row exists (migration); it moves to the source's head, or stays at genesis.
        const head = await source.get<{ lastId: number; lastHash: string }>(sql`SELECT last_id AS "lastId", last_hash AS "lastHash" FROM audit_head WHERE id = 1`);
        if (head && head.lastId > 0) await tx.run(sql`UPDATE audit_head SET last_id = ${head.lastId}, last_hash = ${head.lastHash} WHERE id = 1`);
        onTable?.(t.name, 1);
        continue;
      }
      const keyed = t.columns.some((c) => c.name === 'id');
      let last: unknown = null;
      for (let offset = 0; ; offset += BATCH) {
        // Pages by id where there is one (stable and cheap); the join tables are small and paged by offset.
        const page = keyed
          ? await source.all<Record<string, unknown>>(sql`SELECT ${cols} FROM ${sql.identifier(t.name)} ${last === null ? sql`` : sql`WHERE id > ${last}`} ORDER BY id LIMIT ${BATCH}`)
          : await source.all<Record<string, unknown>>(sql`SELECT ${cols} FROM ${sql.identifier(t.name)} ORDER BY 1, 2 LIMIT ${BATCH} OFFSET ${offset}`);
        if (page.length === 0) break;
        const rows = page.map((r) => sql`(${sql.join(t.columns.map((c) => {
          const v = r[c.name];
          return sql`${c.flag && v !== null ? !!v : v}`;
        }), sql`, `)})`);
        await tx.run(sql`INSERT INTO ${sql.identifier(t.name)} (${cols}) VALUES ${sql.join(rows, sql`, `)}`);
        copied += page.length;
        if (keyed) last = page[page.length - 1].id;
        if (page.length < BATCH) break;
      }
      // Explicit ids leave the identity behind: the next generated id must come after the copied ones.
      if (keyed && t.name !== 'sessions') {
        await tx.run(sql`SELECT setval(pg_get_serial_sequence(${t.name}, 'id'), coalesce((SELECT max(id) FROM ${sql.identifier(t.name)}), 0) + 1, false)`);
      }
      onTable?.(t.name, copied);
    }
  });
  const tables = [];
  for (const t of order) tables.push({ name: t.name, source: await countRows(source, t.name), target: await countRows(target, t.name) });
  return { tables, chain: await verifyAuditChain(target) };
}
