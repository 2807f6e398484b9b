// The few places where SQLite and PostgreSQL spell the same thing differently, each one named for
// what it means. Query files call these instead of writing either dialect's spelling.
import { sql, type SQL } from 'drizzle-orm';
import type { Queryable } from './store';

/**
 * The values of a group joined into one string (SQLite group_concat, PostgreSQL string_agg), in the
 * order of their text: without an order PostgreSQL joins them in whatever order it read them, so the
 * same page could list "1101, 1102" and then "1102, 1101". With `distinct`, SQLite allows only ','.
 */
export function listAgg(s: Queryable, expr: SQL, sep = ', ', o: { distinct?: boolean } = {}): SQL {
  const text = sql`(${expr})::text`;
  if (s.dialect === 'postgres') {
    return o.distinct ? sql`string_agg(DISTINCT ${text}, ${sep} ORDER BY ${text})` : sql`string_agg(${text}, ${sep} ORDER BY ${text})`;
  }
  if (o.distinct) {
    if (sep !== ',') throw new Error('listAgg: SQLite joins DISTINCT values with "," only');
    return sql`group_concat(DISTINCT CAST(${expr} AS TEXT) ORDER BY CAST(${expr} AS TEXT))`;
  }
  return sql`group_concat(CAST(${expr} AS TEXT), ${sep} ORDER BY CAST(${expr} AS TEXT))`;
}

/** One top-level field of a JSON text column, as text (audit before/after are text on both). */
export function jsonField(s: Queryable, column: SQL, field: string): SQL {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(field)) throw new Error(`jsonField: bad field name ${field}`);
  return s.dialect === 'postgres' ? sql`((${column})::json ->> ${field})` : sql`json_extract(${column}, ${'$.' + field})`;
}

/** A list of bound values for `IN (…)`; callers must not pass an empty list (IN () is not SQL). */
export function valuesList(values: readonly (number | string)[]): SQL {
  if (values.length === 0) throw new Error('valuesList: an empty list has no IN (…); return early instead');
  return sql.join(values.map((v) => sql`${v}`), sql`, `);
}

/**
 * `expr` case-folded for a search: PostgreSQL's lower() folds every script, SQLite's only ASCII, so there
 * it is the JavaScript fold every connection registers (db/client.ts, registerFold), and "климович" finds
 * "Климович" on both.
 */
export function folded(s: Queryable, expr: SQL): SQL {
  return s.dialect === 'postgres' ? sql`lower(${expr})` : sql`zk_fold(${expr})`;
}

/** `… LIKE '%text%'` on folded text, the user's % and _ taken literally. */
export function containsFolded(s: Queryable, expr: SQL, text: string): SQL {
  const pattern = `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return sql`${folded(s, expr)} LIKE ${pattern} ESCAPE '\\'`;
}
