// What the SQLite and PostgreSQL stores share about a transaction once it has begun: a handle that
// refuses queries after its callback returned, nested tx() as savepoints whose after-commit callbacks
// are dropped when the savepoint is undone, and the callbacks and listeners run after the commit.
import type { SQLWrapper } from 'drizzle-orm';
import type { Dialect, RunResult, Tx } from './store';

export abstract class SavepointTx implements Tx {
  abstract readonly dialect: Dialect;
  private open = true;
  private depth = 0;

  constructor(private readonly commits: (() => void)[]) {}

  /** A statement without parameters (SAVEPOINT and its kin) on this transaction's connection. */
  protected abstract exec(statement: string): void | Promise<void>;
  protected abstract doAll<T>(q: SQLWrapper): T[] | Promise<T[]>;
  protected abstract doGet<T>(q: SQLWrapper): T | undefined | Promise<T | undefined>;
  protected abstract doRun(q: SQLWrapper): RunResult | Promise<RunResult>;

  private check(): void {
    if (!this.open) throw new Error('transaction already finished: a query ran after its tx callback returned');
  }

  close(): void {
    this.open = false;
  }

  async all<T>(q: SQLWrapper): Promise<T[]> {
    this.check();
    return this.doAll<T>(q);
  }

  async get<T>(q: SQLWrapper): Promise<T | undefined> {
    this.check();
    return this.doGet<T>(q);
  }

  async run(q: SQLWrapper): Promise<RunResult> {
    this.check();
    return this.doRun(q);
  }

  // Both dialects read RELEASE SAVEPOINT and ROLLBACK TO SAVEPOINT.
  async tx<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    this.check();
    const name = `sp${++this.depth}`;
    await this.exec(`SAVEPOINT ${name}`);
    const mark = this.commits.length;
    try {
      const result = await fn(this);
      await this.exec(`RELEASE SAVEPOINT ${name}`);
      return result;
    } catch (e) {
      await this.exec(`ROLLBACK TO SAVEPOINT ${name}`);
      await this.exec(`RELEASE SAVEPOINT ${name}`);
      this.commits.length = mark; // what the savepoint undid must not run after the commit
      throw e;
    } finally {
      this.depth--;
    }
  }

  afterCommit(fn: () => void): void {
    this.check();
    this.commits.push(fn);
  }
}

/** A store's commit listeners; after each commit its transactions' callbacks run first, then the listeners. */
export class CommitListeners {
  private readonly listeners = new Set<() => void>();

  add(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** An error in one callback is reported and does not stop the others: the commit itself stands. */
  committed(callbacks: (() => void)[], onError?: (e: unknown) => void): void {
    for (const cb of [...callbacks, ...this.listeners]) {
      try {
        cb();
      } catch (e) {
        onError?.(e);
      }
    }
  }
}
