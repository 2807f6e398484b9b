// The outbox's read side (DESIGN.md §5): the audit log is the change stream. Every visible change
// wrote its audit row (and its notifications) in its own transaction; this publisher reads the log
// after the last id it handed on, in id order, and gives each row to the ChangeFeed, which the live
// fan-out consumes in order. Nothing publishes by hand, so a change can't be committed and never pushed:
// after a crash, the next process starts from the log and open pages catch up from the same log.
import type { Store } from '../../db/store';
import type { Bus } from './bus';
import { SerialDrain } from './serial-drain';
import type { Change, ChangeFeed } from './changes';
import { auditRowsAfter, lastEventId, type LogRow } from '../../db/queries/live';
import { courseStudentIds } from '../../db/queries/admin-courses';

const RECORDS = new Set(['attendance', 'mark', 'makeup', 'lesson', 'guardian_link', 'dispute']);

export type PublisherOptions = {
  store: Store;
  bus: Bus;
  feed: ChangeFeed;
  /** After a batch of rows went to the feed (the unread badges of those it notified). */
  afterBatch?: (rows: LogRow[]) => Promise<void>;
  onError: (err: unknown) => void;
  /** The safety net: a bell lost between processes delays a push by at most this long. */
  intervalMs?: number;
  batch?: number;
};

export class ChangePublisher {
  private last = 0;
  private readonly drains: SerialDrain;
  private stopped = true;
  private timer: NodeJS.Timeout | undefined;
  private unsubscribe: (() => void)[] = [];

  constructor(private readonly opts: PublisherOptions) {
    // A failed log read is reported; the timer tries again from the same id.
    this.drains = new SerialDrain(() => this.readAll(), () => this.stopped, (err) => this.opts.onError(err));
  }

  /** The id of the last row handed on. */
  get lastId(): number {
    return this.last;
  }

  /** Starts after what is already in the log: pages loaded from now on show it, older ones catch up. */
  async start(): Promise<void> {
    const { store, bus } = this.opts;
    this.last = await lastEventId(store);
    this.stopped = false;
    // The writing process needs no bell for its own commits; once it has read them, the others hear how
    // far the log goes. Only the writer rings: a process that read the rows because of a bell stays quiet,
    // so one commit is one message whatever the number of processes.
    this.unsubscribe.push(store.onCommit(() => void this.drain().then(() => this.ring())));
    // A bell for last+1 or beyond, or "you may have missed some" after a reconnect: read `id > last`.
    // Ids already read (an old or repeated bell) are ignored: nothing is handed on twice.
    this.unsubscribe.push(bus.subscribe((lastId) => { if (lastId === null || lastId > this.last) void this.drain(); }));
    this.timer = setInterval(() => void this.drain(), this.opts.intervalMs ?? 1000);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    for (const u of this.unsubscribe.splice(0)) u();
    await this.drains.settled();
  }

  /**
   * Hands on every row after `last`. One drain at a time (two would read the same rows): a request
   * that comes while one runs makes it read again before it ends, so a row committed mid-drain is
   * handed on by the same drain's next round. Resolves when the log has been read up to its end.
   */
  drain(): Promise<void> {
    return this.drains.run();
  }

  private rung = 0;

  /** Tells the other processes how far the log is committed (after a commit of this process). */
  private ring(): void {
    if (this.stopped || this.last <= this.rung) return;
    this.rung = this.last;
    this.opts.bus.announce(this.last);
  }

  private async readAll(): Promise<void> {
    const batch = this.opts.batch ?? 500;
    for (;;) {
      const rows = await auditRowsAfter(this.opts.store, this.last, batch);
      for (const row of rows) {
        try {
          for (const c of await this.changesOf(row)) this.opts.feed.publish(c);
        } catch (err) {
          this.opts.onError(err); // one row's failure must not hold back every row after it
        }
        this.last = row.id;
      }
      if (rows.length > 0 && this.opts.afterBatch) await this.opts.afterBatch(rows).catch(this.opts.onError);
      if (rows.length < batch || this.stopped) return;
    }
  }

  /** What one audit row means to the fan-out: the audit feed's line, and the record change if it is one. */
  private async changesOf(row: LogRow): Promise<Change[]> {
    const base = {
      auditId: row.id, action: row.action, courseId: row.courseId, studentId: row.studentId, lessonId: row.lessonId, actorId: row.actorId,
      entityId: row.entityId,
    };
    // An `audit:` entity reaches the audit topic only; the course and student ids let the feed show a
    // dean's office just the rows about its faculty.
    const out: Change[] = [{ ...base, entity: `audit:${row.entity}`, lessonId: null }];
    if (RECORDS.has(row.entity)) out.push({ ...base, entity: row.entity });
    // A rules change moves admission for every student of the course: each one's pages get a new tile.
    if (row.entity === 'course' && row.action === 'course.rules' && row.courseId) {
      for (const studentId of await courseStudentIds(this.opts.store, row.courseId)) {
        out.push({ ...base, entity: 'course_rules', studentId });
      }
    }
    return out;
  }
}
