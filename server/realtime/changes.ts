// The seam between the log and live updates: the change publisher (server/realtime/publisher.ts)
// publishes each committed audit row here, in id order; the realtime fan-out subscribes. With several
// server processes each runs its own publisher over the shared log; only the bell (bus.ts) crosses.
import { EventEmitter } from 'node:events';

/** A committed audit row as the change stream carries it (db/changes.ts: the store's side of the contract). */
export type { Change } from '../../db/changes';
import type { Change } from '../../db/changes';

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
