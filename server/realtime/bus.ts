// The bell between processes (DESIGN.md §5): it carries only "the log is committed up to id N", never
// the change itself. Each process's publisher reads `id > last` from the audit log on hearing it, so a
// lost or duplicated message delays a push at most until the next one (or the publisher's timer).
// One process: the in-memory bus below. Several: Redis pub/sub behind this same interface.
export interface Bus {
  announce(lastId: number): void;
  subscribe(fn: (lastId: number) => void): () => void;
}

export class MemoryBus implements Bus {
  private listeners = new Set<(lastId: number) => void>();

  announce(lastId: number): void {
    for (const fn of [...this.listeners]) fn(lastId);
  }

  subscribe(fn: (lastId: number) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }
}
