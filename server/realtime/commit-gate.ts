// Caches that the change stream keeps current (sessions, journal rows) must not answer between a commit
// of this process and the moment the publisher has handed that commit's audit rows on: the request after
// a save or a logout would otherwise see the cache from before it. The gate counts commits and drains.
export class CommitGate {
  private commits = 0;
  private drained = 0;
  private drops = 0;

  /** A transaction committed here; `handedOn` resolves once the publisher has read the log past it. */
  committed(handedOn: Promise<void>): void {
    const n = ++this.commits;
    void handedOn.finally(() => {
      if (n > this.drained) this.drained = n;
    });
  }

  /** Every commit of this process so far has reached the caches. */
  get open(): boolean {
    return this.drained >= this.commits;
  }

  /** A cache dropped something (from any process's row). */
  dropped(): void {
    this.drops++;
  }

  /**
   * Taken before reading what will be cached: an entry is stored only if no commit and no drop came in
   * between (or a row handed on meanwhile would be overwritten by what was read before it).
   */
  ticket(): number {
    return this.open ? this.commits * 1_000_003 + this.drops : -1;
  }

  valid(ticket: number): boolean {
    return ticket >= 0 && this.open && ticket === this.commits * 1_000_003 + this.drops;
  }
}
