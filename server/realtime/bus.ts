// The bell between processes (DESIGN.md §5): it carries only "the log is committed up to id N", never
// the change itself. Each process's publisher reads `id > last` from the audit log on hearing it, so a
// lost or duplicated message delays a push at most until the next one (or the publisher's timer).
// One process: the in-memory bus below. Several: Redis pub/sub (redis-bus.ts) behind this same interface.

/**
 * lastId: the log is committed up to this id. null: the bus may have missed bells (it has just
 * reconnected to its broker), so whoever listens should read the log after what it has.
 */
export type BusListener = (lastId: number | null) => void;

export interface Bus {
  announce(lastId: number): void;
  subscribe(fn: BusListener): () => void;
  close(): Promise<void>;
}

export class MemoryBus implements Bus {
  private listeners = new Set<BusListener>();

  announce(lastId: number): void {
    for (const fn of [...this.listeners]) fn(lastId);
  }

  subscribe(fn: BusListener): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  async close(): Promise<void> {
    this.listeners.clear();
  }
}
