// The seam between the log and live updates: the change publisher (server/realtime/publisher.ts)
// publishes each committed audit row here, in id order; the realtime fan-out subscribes. With several
// server processes each runs its own publisher over the shared log; only the bell (bus.ts) crosses.
import { EventEmitter } from 'node:events';

export type Change = {
  auditId: number; // the audit row of the change: also the event id clients catch up from
  entity: string; // 'mark' | 'attendance' | 'makeup' | 'lesson' | 'guardian_link' | …
  action: string; // the audit action, e.g. 'mark.update'
  courseId: number | null;
  studentId: number | null;
  lessonId: number | null;
  actorId: number | null;
  /** The audit row's entity id (a user's id for `audit:user`); the session cache drops what it names. */
  entityId?: number | null;
};

export class ChangeFeed {
  private emitter = new EventEmitter().setMaxListeners(100);

  /** Only the publisher calls this, with rows it read from the committed log. */
  publish(change: Change): void {
    this.emitter.emit('change', change);
  }

  subscribe(fn: (change: Change) => void): () => void {
    this.emitter.on('change', fn);
    return () => this.emitter.off('change', fn);
  }
}
