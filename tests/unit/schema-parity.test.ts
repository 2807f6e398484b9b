// db/schema.ts (SQLite, the source of the app's types) and db/schema-pg.ts (its PostgreSQL twin) must
// describe the same register: this fails naming the first table, column, index or key that differs.
import { is } from 'drizzle-orm';
import { getTableConfig as sqliteConfig, SQLiteTable } from 'drizzle-orm/sqlite-core';
import { getTableConfig as pgConfig, PgTable } from 'drizzle-orm/pg-core';
import { describe, expect, it } from 'vitest';
import * as lite from '../../db/schema';
import * as pgs from '../../db/schema-pg';

type Col = { name: string; notNull: boolean; primary: boolean; isUnique: boolean; hasDefault: boolean;
  columnType: string; enumValues?: string[]; generatedIdentity?: unknown; dataType: string; autoIncrement?: boolean };

/** The kind of value a column holds, across the two dialects' spellings of it. */
function kind(c: Col): string {
  if (c.columnType === 'SQLiteBoolean' || c.columnType === 'PgBoolean') return 'boolean';
  if (c.columnType === 'SQLiteText' || c.columnType === 'PgText') return 'text';
  if (c.columnType === 'SQLiteInteger' || c.columnType === 'PgInteger' || c.columnType === 'PgBigInt53') return 'number';
  return c.columnType;
}

function describeTable(cfg: ReturnType<typeof sqliteConfig> | ReturnType<typeof pgConfig>) {
  const columns = Object.fromEntries((cfg.columns as unknown as Col[]).map((c) => [c.name, {
    kind: kind(c), notNull: c.notNull, primary: c.primary, unique: c.isUnique,
    // An id is generated on both (SQLite's rowid, PostgreSQL's identity); other defaults must match.
    default: c.primary ? 'key' : c.hasDefault, enum: c.enumValues?.length ? c.enumValues : undefined,
  }]));
  const indexes = Object.fromEntries(cfg.indexes.map((i) => [i.config.name, {
    unique: !!i.config.unique,
    on: i.config.columns.map((c) => (c as { name: string }).name),
  }]));
  const foreignKeys = cfg.foreignKeys.map((f) => {
    const r = f.reference();
    return `${r.columns.map((c) => c.name).join(',')} -> ${(r.foreignTable as unknown as { [k: symbol]: string })[Symbol.for('drizzle:Name')]}(${r.foreignColumns.map((c) => c.name).join(',')})`;
  }).sort();
  const primaryKeys = cfg.primaryKeys.map((p) => p.columns.map((c) => c.name).join(','));
  const checks = cfg.checks.map((c) => c.name);
  return { columns, indexes, foreignKeys, primaryKeys, checks };
}

const liteTables = Object.values(lite).filter((v) => is(v, SQLiteTable)).map((t) => sqliteConfig(t as SQLiteTable));
const pgTables = Object.values(pgs).filter((v) => is(v, PgTable)).map((t) => pgConfig(t as PgTable));

describe('the PostgreSQL schema twin', () => {
  it('has the same tables', () => {
    expect(pgTables.map((t) => t.name).sort()).toEqual(liteTables.map((t) => t.name).sort());
  });

  it.each(liteTables.map((t) => [t.name, t] as const))('%s: same columns, nullability, defaults, keys and indexes', (name, t) => {
    const twin = pgTables.find((p) => p.name === name);
    expect(twin, `no ${name} in db/schema-pg.ts`).toBeDefined();
    expect(describeTable(twin!)).toEqual(describeTable(t));
  });

  it('keeps instants as epoch-millisecond bigints and audit before/after as text', () => {
    const audit = pgConfig(pgs.auditLog).columns;
    expect(audit.find((c) => c.name === 'at')!.getSQLType()).toBe('bigint');
    expect(audit.find((c) => c.name === 'before')!.getSQLType()).toBe('text');
    expect(audit.find((c) => c.name === 'after')!.getSQLType()).toBe('text');
    for (const t of pgTables) {
      for (const c of t.columns) if (/_at$/.test(c.name) || c.name === 'at') expect(`${t.name}.${c.name} ${c.getSQLType()}`).toBe(`${t.name}.${c.name} bigint`);
    }
  });
});
