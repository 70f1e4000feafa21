/**
 * Background requests (trace delivery) that must never keep a finished program alive. Their
 * sockets and deadline timers are unref'd unless the group is held — someone is waiting for
 * their outcome (a flush) — and a group deadline (the exit budget) cuts every exchange short,
 * those in flight included. Requests without a group are the caller's own (reads, setExperiment):
 * they hold the process like any `fetch` would.
 */
export interface GroupDeadline {
  /** Epoch ms after which no exchange of the group may still run. */
  at: number;
  /** Names the limit in the error of a cut-short exchange, e.g. "the 5 s exit budget". */
  what: string;
}

export class RequestGroup {
  private held = false;
  private limit: GroupDeadline | undefined;
  /** One `update` callback per exchange in flight: re-reads the hold and the deadline. */
  private readonly live = new Set<() => void>();

  get holding(): boolean {
    return this.held;
  }

  get deadline(): GroupDeadline | undefined {
    return this.limit;
  }

  /** true: exchanges in flight keep the process alive until they settle or hit their deadline. */
  hold(held: boolean): void {
    if (this.held === held) return;
    this.held = held;
    this.notify();
  }

  /** Clips every exchange of the group, current and future, to `deadline`; undefined lifts it. */
  limitTo(deadline: GroupDeadline | undefined): void {
    this.limit = deadline;
    this.notify();
  }

  /** Called by the HTTP layer for each exchange; returns the function that forgets it. */
  track(update: () => void): () => void {
    this.live.add(update);
    return () => this.live.delete(update);
  }

  private notify(): void {
    for (const update of [...this.live]) update();
  }
}
