// The store (DESIGN.md §5): the one door to the database. Query functions in db/queries take a store
// (or a transaction, which is one) first and return Promises, so the same code can run on SQLite in
// one process or on PostgreSQL behind several.
//
// SQLite: better-sqlite3 is synchronous and drizzle's transactions on it are too: an async callback
// would commit at its first await (drizzle-orm #1472, #2275). So the adapter runs BEGIN IMMEDIATE …
// COMMIT itself on a writer connection, one transaction at a time behind an async mutex, while reads
// outside a transaction go to a second, read-only connection. In WAL mode that reader sees only
// committed data, never another request's half-done transaction, and a write outside `tx` fails
// loudly instead of slipping into somebody else's transaction.
import Database from 'better-sqlite3';
import { SQLiteSyncDialect } from 'drizzle-orm/sqlite-core';
import { SQL, StringChunk, type SQLWrapper } from 'drizzle-orm';
import { openDatabase, registerFold } from './client';
import { CommitListeners, SavepointTx } from './store-tx';
import { checkStorable } from './storable-text';

export type Dialect = 'sqlite' | 'postgres';
export type RunResult = { changes: number };

export interface Queryable {
  readonly dialect: Dialect;
  all<T = Record<string, unknown>>(query: SQLWrapper): Promise<T[]>;
  get<T = Record<string, unknown>>(query: SQLWrapper): Promise<T | undefined>;
  /** A statement for its effect; outside a transaction it runs as a transaction of its own. */
  run(query: SQLWrapper): Promise<RunResult>;
  /** A transaction, or inside one a savepoint: all of fn's writes commit together or none does. */
  tx<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
}

export interface Tx extends Queryable {
  /** Runs after the outermost transaction has committed (never after a rollback). */
  afterCommit(fn: () => void): void;
}

/** SQLite-only operations, named for what they do; PostgreSQL has pg_dump and amcheck instead. */
export interface SqliteMaintenance {
  backupTo(file: string): Promise<void>;
  integrityCheck(): Promise<string[]>;
  checkpoint(): Promise<void>;
}

/** What the store has run since it opened: the bench divides it by requests (queries per page). */
export type StoreStats = { statements: number; transactions: number; commits: number };

export interface Store extends Queryable {
  readonly stats: StoreStats;
  /** Called after every commit, in commit order: the change publisher listens here. */
  onCommit(fn: () => void): () => void;
  readonly sqlite?: SqliteMaintenance;
  /** Lets after-commit errors reach the app's log once the app exists. */
  reportCallbackErrors?(fn: (e: unknown) => void): void;
  close(): Promise<void>;
}

/** One transaction at a time, in arrival order. */
class Mutex {
  private tail: Promise<void> = Promise.resolve();
  private held = 0;

  get locked(): boolean {
    return this.held > 0;
  }

  async lock(): Promise<() => void> {
    let release!: () => void;
    const next = new Promise<void>((r) => (release = r));
    const prev = this.tail;
    this.tail = prev.then(() => next);
    this.held++;
    await prev;
    let done = false;
    return () => {
      if (done) return;
      done = true;
      this.held--;
      release();
    };
  }
}

type Statement = Database.Statement<unknown[]>;
const dialect = new SQLiteSyncDialect();
const MAX_STATEMENTS = 2_000;
/** Transactions per group commit: enough for a classroom's saves, few enough that none waits long. */
const MAX_BATCH = 64;

type Pending = { fn: (tx: Tx) => Promise<unknown>; resolve: (v: unknown) => void; reject: (e: unknown) => void };

/**
 * The text and values of a plain `sql` template (strings, nested templates and primitive values), in
 * one walk: drizzle's general compiler checks every chunk against every kind of entity, which cost more
 * than running the statement on the hot pages. Anything else (columns, tables, identifiers, encoded
 * params) returns null and goes to drizzle's compiler.
 */
const isPrimitive = (c: unknown): boolean =>
  c === null || typeof c === 'string' || typeof c === 'number' || typeof c === 'boolean' || typeof c === 'bigint';

function plainQuery(query: SQL, text: string[], params: unknown[]): boolean {
  if ((query as unknown as { shouldInlineParams?: boolean }).shouldInlineParams) return false;
  for (const c of query.queryChunks as unknown[]) {
    if (c instanceof StringChunk) text.push(c.value.join(''));
    else if (c instanceof SQL) {
      if (!plainQuery(c, text, params)) return false;
    } else if (isPrimitive(c)) {
      text.push('?');
      params.push(c);
    } else if (Array.isArray(c) && c.every(isPrimitive)) {
      // inArray(sql`x`, values) leaves the values as a list: drizzle spells it (?, ?, …) too.
      text.push(`(${c.map(() => '?').join(', ')})`);
      params.push(...c);
    } else return false;
  }
  return true;
}

/** The SQL text and bound values of a query, as the SQLite connection runs it. */
export function compileSql(query: SQLWrapper): { sql: string; params: unknown[] } {
  const q = query.getSQL();
  const text: string[] = [];
  const params: unknown[] = [];
  return plainQuery(q, text, params) ? { sql: text.join(''), params } : dialect.sqlToQuery(q);
}

/** A connection with its statements compiled once (hot paths run the same few dozen statements). */
class SqliteConnection {
  private statements = new Map<string, Statement>();

  constructor(readonly raw: Database.Database, private readonly stats: StoreStats) {}

  private prepare(query: SQLWrapper): { stmt: Statement; params: unknown[] } {
    this.stats.statements++;
    const q = compileSql(query);
    checkStorable(q.params);
    let stmt = this.statements.get(q.sql);
    if (!stmt) {
      stmt = this.raw.prepare(q.sql);
      // Lists bound for IN (…) make one text per length: the cache keeps the newest texts, not all of them.
      if (this.statements.size >= MAX_STATEMENTS) this.statements.delete(this.statements.keys().next().value!);
      this.statements.set(q.sql, stmt);
    }
    // better-sqlite3 binds no booleans; PostgreSQL gets them as they are.
    return { stmt, params: q.params.map((p) => (typeof p === 'boolean' ? (p ? 1 : 0) : p)) };
  }

  all<T>(query: SQLWrapper): T[] {
    const { stmt, params } = this.prepare(query);
    if (!stmt.reader) {
      stmt.run(...params);
      return [];
    }
    return stmt.all(...params) as T[];
  }

  get<T>(query: SQLWrapper): T | undefined {
    const { stmt, params } = this.prepare(query);
    if (!stmt.reader) {
      stmt.run(...params);
      return undefined;
    }
    return stmt.get(...params) as T | undefined;
  }

  run(query: SQLWrapper): RunResult {
    const { stmt, params } = this.prepare(query);
    return { changes: stmt.run(...params).changes };
  }
}

class SqliteTx extends SavepointTx {
  readonly dialect = 'sqlite' as const;

  constructor(private readonly conn: SqliteConnection, commits: (() => void)[]) {
    super(commits);
  }

  protected exec(statement: string): void {
    this.conn.raw.exec(statement);
  }

  protected doAll<T>(q: SQLWrapper): T[] {
    return this.conn.all<T>(q);
  }

  protected doGet<T>(q: SQLWrapper): T | undefined {
    return this.conn.get<T>(q);
  }

  protected doRun(q: SQLWrapper): RunResult {
    return this.conn.run(q);
  }
}

export type SqliteStoreOptions = {
  /** Reports an error thrown by an after-commit callback (the commit itself stands). */
  onCallbackError?: (e: unknown) => void;
  /** close() closes the writer connection too (a store opened by openStore owns it). */
  ownsWriter?: boolean;
};

export class SqliteStore implements Store {
  readonly dialect = 'sqlite' as const;
  private readonly mutex = new Mutex();
  private readonly writer: SqliteConnection;
  private readonly reader: SqliteConnection;
  private readonly listeners = new CommitListeners();
  private readonly queue: Pending[] = [];
  private scheduled = false;
  readonly stats: StoreStats = { statements: 0, transactions: 0, commits: 0 };

  /** `writer` is the open, migrated connection; a read-only twin is opened beside it on the same file. */
  constructor(writer: Database.Database, private readonly opts: SqliteStoreOptions = {}) {
    this.writer = new SqliteConnection(writer, this.stats);
    if (writer.memory) {
      this.reader = this.writer;
    } else {
      const ro = new Database(writer.name, { readonly: true, fileMustExist: true });
      ro.pragma('busy_timeout = 5000');
      registerFold(ro);
      this.reader = new SqliteConnection(ro, this.stats);
    }
  }

  /** A single :memory: connection is shared: reads then wait for the running transaction. */
  private async readable(): Promise<SqliteConnection> {
    if (this.reader === this.writer && this.mutex.locked) (await this.mutex.lock())();
    return this.reader;
  }

  async all<T>(query: SQLWrapper): Promise<T[]> {
    return (await this.readable()).all<T>(query);
  }

  async get<T>(query: SQLWrapper): Promise<T | undefined> {
    return (await this.readable()).get<T>(query);
  }

  run(query: SQLWrapper): Promise<RunResult> {
    return this.tx((t) => t.run(query));
  }

  /**
   * Group commit: the transactions asked for in one event-loop turn (and those that arrive while a
   * batch runs) share one BEGIN IMMEDIATE … COMMIT, each inside its own savepoint. One that fails is
   * rolled back to its savepoint and fails alone; the others resolve only once the COMMIT has returned,
   * so durability is unchanged (synchronous=FULL) while ten saves cost one fsync instead of ten.
   */
  tx<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ fn, resolve: resolve as (v: unknown) => void, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => void this.runQueue());
      }
    });
  }

  private async runQueue(): Promise<void> {
    const release = await this.mutex.lock();
    try {
      while (this.queue.length > 0) await this.runBatch(this.queue.splice(0, MAX_BATCH));
    } finally {
      this.scheduled = false;
      release();
    }
  }

  private async runBatch(batch: Pending[]): Promise<void> {
    const raw = this.writer.raw;
    const commits: (() => void)[] = [];
    const done: { p: Pending; value: unknown }[] = [];
    const own = batch.length > 1; // a lone transaction needs no savepoint of its own
    this.stats.transactions += batch.length;
    try {
      raw.exec('BEGIN IMMEDIATE');
    } catch (e) {
      for (const p of batch) p.reject(e);
      return;
    }
    for (const [i, p] of batch.entries()) {
      const t = new SqliteTx(this.writer, commits);
      const mark = commits.length;
      try {
        if (own) raw.exec('SAVEPOINT g');
        const value = await p.fn(t);
        if (own) raw.exec('RELEASE g');
        done.push({ p, value });
      } catch (e) {
        commits.length = mark; // what the savepoint undid must not run after the commit
        if (own && raw.inTransaction) {
          raw.exec('ROLLBACK TO g');
          raw.exec('RELEASE g');
          p.reject(e);
          continue;
        }
        // SQLite ended the whole transaction (or a lone one failed): what ran with it is undone too,
        // and the ones not yet run start again in the next batch.
        if (raw.inTransaction) raw.exec('ROLLBACK');
        p.reject(e);
        for (const d of done) d.p.reject(e);
        this.queue.unshift(...batch.slice(i + 1));
        return;
      } finally {
        t.close();
      }
    }
    try {
      raw.exec('COMMIT');
    } catch (e) {
      if (raw.inTransaction) raw.exec('ROLLBACK');
      for (const d of done) d.p.reject(e);
      return;
    }
    this.stats.commits++;
    for (const d of done) d.p.resolve(d.value);
    this.listeners.committed(commits, this.opts.onCallbackError);
  }

  onCommit(fn: () => void): () => void {
    return this.listeners.add(fn);
  }

  readonly sqlite: SqliteMaintenance = {
    backupTo: async (file) => {
      await this.writer.raw.backup(file);
    },
    integrityCheck: async () =>
      (this.writer.raw.pragma('integrity_check') as { integrity_check: string }[]).map((r) => r.integrity_check),
    checkpoint: async () => {
      this.writer.raw.pragma('wal_checkpoint(TRUNCATE)');
    },
  };

  async close(): Promise<void> {
    // Transactions asked for before close() still run (they were asked for first).
    while (this.scheduled) await new Promise((r) => setImmediate(r));
    (await this.mutex.lock())();
    if (this.reader !== this.writer) this.reader.raw.close();
    if (this.opts.ownsWriter) this.writer.raw.close();
  }

  /** Lets after-commit errors reach the app's log once the app exists. */
  reportCallbackErrors(fn: (e: unknown) => void): void {
    this.opts.onCallbackError = fn;
  }
}

/** The database file, created and migrated if needed, as a store that owns both its connections. */
export function openStore(file: string, opts: Omit<SqliteStoreOptions, 'ownsWriter'> = {}): SqliteStore {
  return new SqliteStore(openDatabase(file).$client, { ...opts, ownsWriter: true });
}
