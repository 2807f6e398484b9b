// The seam between writes and live updates: the write path publishes what changed after its
// transaction commits; the realtime hub (and anything else, e.g. notifications) subscribes.
// With several server processes, a broker's pub/sub takes this module's place.
import { EventEmitter } from 'node:events';

export type Change = {
  auditId: number; // the audit row of the change: also the event id clients catch up from
  entity: string; // 'mark' | 'attendance' | 'makeup' | 'lesson' | 'guardian_link' | …
  action: string; // the audit action, e.g. 'mark.update'
  courseId: number | null;
  studentId: number | null;
  lessonId: number | null;
  actorId: number | null;
};

export class ChangeFeed {
  private emitter = new EventEmitter().setMaxListeners(100);

  /** Call only after the transaction has committed, so no subscriber ever sees a rolled-back change. */
  publish(change: Change): void {
    this.emitter.emit('change', change);
  }

  subscribe(fn: (change: Change) => void): () => void {
    this.emitter.on('change', fn);
    return () => this.emitter.off('change', fn);
  }
}
