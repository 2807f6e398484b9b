// What a GET records about the visit itself (the user's last-seen stamp, a guardian's or an admin's view of
// a student's record) is not written on the request's path: each would be a commit, an fsync with
// synchronous=FULL, per page view. The stamps and views wait in memory and go to the database together,
// one transaction about every second, and on close (app.close(), so a clean shutdown loses no view).
// A crash loses at most the last second of them; never a record, which is written in its own request.
import type { FastifyInstance } from 'fastify';
import type { Store } from '../../db/store';
import { appendAudit, type AuditEntry } from '../../db/queries/audit';
import { markLastSeen } from '../../db/queries/changes';

export const VISIT_FLUSH_MS = 1000;

export class VisitLog {
  private readonly stamps = new Map<number, number>();
  private views: AuditEntry[] = [];
  private flushing: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  private readonly seenListeners: ((userId: number, at: number) => void)[] = [];

  constructor(private readonly store: Store, private readonly onError: (err: unknown) => void) {}

  /** (Re)starts the timer: again with another interval replaces it. */
  start(intervalMs = VISIT_FLUSH_MS): void {
    clearInterval(this.timer);
    this.timer = setInterval(() => void this.flush(), intervalMs);
    this.timer.unref();
  }

  /** The user was here at `at` (the next visit shows what changed since then). */
  seen(userId: number, at: number): void {
    this.stamps.set(userId, Math.max(at, this.stamps.get(userId) ?? 0));
    for (const fn of this.seenListeners) fn(userId, at);
  }

  /** Told of each stamp as it is taken (the session cache keeps its copy of the user current). */
  onSeen(fn: (userId: number, at: number) => void): void {
    this.seenListeners.push(fn);
  }

  /** A stamp not yet written, so this process's next page already counts from it. */
  lastSeen(userId: number, stored: number | null): number | null {
    const pending = this.stamps.get(userId);
    return pending !== undefined && pending > (stored ?? 0) ? pending : stored;
  }

  /** An audit row for a view, stamped now, appended to the chain with the next flush. */
  viewed(entry: AuditEntry, at: number): void {
    this.views.push({ ...entry, at });
  }

  get pending(): number {
    return this.stamps.size + this.views.length;
  }

  /** Writes what is waiting in one transaction; one flush at a time, in order. */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(() => this.write());
    return this.flushing;
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }

  private async write(): Promise<void> {
    if (this.pending === 0) return;
    const stamps = [...this.stamps];
    const views = this.views;
    this.stamps.clear();
    this.views = [];
    try {
      await this.store.tx(async (tx) => {
        for (const [userId, at] of stamps) await markLastSeen(tx, userId, at);
        for (const v of views) await appendAudit(tx, v);
      });
    } catch (err) {
      // Kept for the next flush (a busy database, a failed disk): a later stamp wins, views stay in order.
      for (const [userId, at] of stamps) this.seen(userId, at);
      this.views = [...views, ...this.views];
      this.onError(err);
    }
  }
}

export function registerVisitLog(app: FastifyInstance): void {
  const log = new VisitLog(app.store, (err) => app.log.error({ err }, 'writing visits failed'));
  app.decorate('visits', log);
  app.addHook('onReady', async () => log.start());
  app.addHook('onClose', async () => log.stop());
}
