// The store on PostgreSQL (DESIGN.md §5): the same Store as db/store.ts, on a `pg` pool. Several app
// processes share one database, so a transaction is BEGIN (READ COMMITTED) … COMMIT on one pooled client,
// and the audit head row (locked FOR UPDATE by appendAudit) is what serialises the writers of the chain.
// Reads outside a transaction go to any pooled client and see committed data only.
import pg from 'pg';
import { createHash } from 'node:crypto';
import { PgDialect } from 'drizzle-orm/pg-core';
import { SQL, StringChunk, type SQLWrapper } from 'drizzle-orm';
import type { RunResult, Store, StoreStats, Tx } from './store';
import { CommitListeners, SavepointTx } from './store-tx';
import { checkStorable } from './storable-text';

// Counts (int8), bigint timestamps and averages (numeric) come back as numbers, as on SQLite: epoch
// milliseconds and row counts stay far below 2^53. Booleans are booleans already.
const NUMBER_TYPES = new Set([20 /* int8 */, 1700 /* numeric */]);
const types: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    NUMBER_TYPES.has(oid) && format !== 'binary' ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format)) as pg.CustomTypesConfig['getTypeParser'],
};

const dialect = new PgDialect();

/** Plain templates (strings, nested templates, primitive values) compiled in one walk, as on SQLite, to $1..$n. */
function plainQuery(query: SQL, text: string[], params: unknown[]): boolean {
  if ((query as unknown as { shouldInlineParams?: boolean }).shouldInlineParams) return false;
  for (const c of query.queryChunks as unknown[]) {
    if (c instanceof StringChunk) text.push(c.value.join(''));
    else if (c instanceof SQL) {
      if (!plainQuery(c, text, params)) return false;
    } else if (c === null || typeof c === 'string' || typeof c === 'number' || typeof c === 'boolean' || typeof c === 'bigint') {
      params.push(c);
      text.push(`$${params.length}`);
    } else return false;
  }
  return true;
}

export function toPgQuery(query: SQLWrapper): { sql: string; params: unknown[] } {
  const q = query.getSQL();
  const text: string[] = [];
  const params: unknown[] = [];
  return plainQuery(q, text, params) ? { sql: text.join(''), params } : dialect.sqlToQuery(q);
}

type Client = pg.Pool | pg.PoolClient;

// Named statements are parsed and planned once per connection (the hot pages run the same few dozen
// texts). IN lists make one text per length, so only the first MAX_NAMED texts get names; the rest
// run unnamed, parsed each time, and nothing grows without bound on a long-lived connection.
const MAX_NAMED = 1_000;
const names = new Map<string, string>();

function statementName(text: string): string | undefined {
  let name = names.get(text);
  if (!name && names.size < MAX_NAMED) {
    name = `z${createHash('sha1').update(text).digest('base64url')}`;
    names.set(text, name);
  }
  return name;
}

async function query<T>(client: Client, stats: StoreStats, q: SQLWrapper): Promise<pg.QueryResult<T & pg.QueryResultRow>> {
  stats.statements++;
  const { sql, params } = toPgQuery(q);
  checkStorable(params);
  return client.query<T & pg.QueryResultRow>({ name: statementName(sql), text: sql, values: params });
}

class PgTx extends SavepointTx {
  readonly dialect = 'postgres' as const;

  constructor(private readonly client: pg.PoolClient, private readonly stats: StoreStats, commits: (() => void)[]) {
    super(commits);
  }

  protected async exec(statement: string): Promise<void> {
    await this.client.query(statement);
  }

  protected async doAll<T>(q: SQLWrapper): Promise<T[]> {
    return (await query<T>(this.client, this.stats, q)).rows;
  }

  protected async doGet<T>(q: SQLWrapper): Promise<T | undefined> {
    return (await query<T>(this.client, this.stats, q)).rows[0];
  }

  protected async doRun(q: SQLWrapper): Promise<RunResult> {
    return { changes: (await query(this.client, this.stats, q)).rowCount ?? 0 };
  }
}

export type PgStoreOptions = {
  /** Reports an error thrown by an after-commit callback (the commit itself stands). */
  onCallbackError?: (e: unknown) => void;
  /** Pool size per process; a few clients keep a node busy without crowding PostgreSQL's connections. */
  max?: number;
};

export class PgStore implements Store {
  readonly dialect = 'postgres' as const;
  readonly pool: pg.Pool;
  private readonly listeners = new CommitListeners();
  readonly stats: StoreStats = { statements: 0, transactions: 0, commits: 0 };

  constructor(readonly url: string, private readonly opts: PgStoreOptions = {}) {
    this.pool = new pg.Pool({ connectionString: url, max: opts.max ?? 10, types, application_name: 'zachetka' });
    // An idle client losing its server (a restart) must not crash the process; the next query reconnects.
    this.pool.on('error', (e) => this.opts.onCallbackError?.(e));
  }

  async all<T>(q: SQLWrapper): Promise<T[]> {
    return (await query<T>(this.pool, this.stats, q)).rows;
  }

  async get<T>(q: SQLWrapper): Promise<T | undefined> {
    return (await query<T>(this.pool, this.stats, q)).rows[0];
  }

  run(q: SQLWrapper): Promise<RunResult> {
    return this.tx((t) => t.run(q));
  }

  async tx<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    this.stats.transactions++;
    const commits: (() => void)[] = [];
    const t = new PgTx(client, this.stats, commits);
    let result: T;
    let broken: Error | undefined;
    try {
      await client.query('BEGIN ISOLATION LEVEL READ COMMITTED');
      try {
        result = await fn(t);
        await client.query('COMMIT');
        this.stats.commits++;
      } catch (e) {
        await client.query('ROLLBACK').catch((re: Error) => (broken = re));
        throw e;
      } finally {
        t.close();
      }
    } catch (e) {
      if (!broken && isConnectionError(e)) broken = e as Error;
      throw e;
    } finally {
      client.release(broken); // a client whose rollback failed is discarded, never reused mid-transaction
    }
    this.listeners.committed(commits, this.opts.onCallbackError);
    return result;
  }

  onCommit(fn: () => void): () => void {
    return this.listeners.add(fn);
  }

  /** Lets after-commit errors reach the app's log once the app exists. */
  reportCallbackErrors(fn: (e: unknown) => void): void {
    this.opts.onCallbackError = fn;
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

function isConnectionError(e: unknown): boolean {
  const code = (e as { code?: string }).code;
  return code === 'ECONNRESET' || code === 'EPIPE' || code === '57P01' || /Connection terminated/.test(String(e));
}
