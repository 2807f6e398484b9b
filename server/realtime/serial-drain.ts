// One drain at a time, never a lost request: the publisher reads the log and the mail sender works
// its outbox this way. A request that comes while a drain runs makes that drain go round once more
// before it ends (what was committed mid-drain is handled by the same drain), and every caller's
// promise resolves when there is nothing left to do. A failed round is reported; the next request
// (a commit, a bell, the timer) starts again.
export class SerialDrain {
  private running: Promise<void> | null = null;
  private again = false;

  constructor(
    private readonly round: () => Promise<void>,
    private readonly stopped: () => boolean,
    private readonly onError: (err: unknown) => void,
  ) {}

  run(): Promise<void> {
    if (this.stopped()) return Promise.resolve();
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      try {
        do {
          this.again = false;
          await this.round();
        } while (this.again && !this.stopped());
      } catch (err) {
        this.onError(err);
      } finally {
        this.running = null;
      }
    })();
    return this.running;
  }

  /** Resolves when the drain running now (if any) has ended. */
  settled(): Promise<void> {
    return this.running ?? Promise.resolve();
  }
}
