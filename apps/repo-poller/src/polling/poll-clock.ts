/** Something that runs `task` after about `delayMs`; returns how to cancel it. */
export type Schedule = (task: () => void, delayMs: number) => () => void;

/** One timer per call: exact, and what a single repository needs. */
export const timerSchedule: Schedule = (task, delayMs) => {
  const timer = setTimeout(task, delayMs);
  timer.unref();
  return () => clearTimeout(timer);
};

/**
 * Runs what is due on a few ticks a second instead of one timer per repository: a
 * thousand repositories polled every 15 s would otherwise wake the process 67 times a
 * second for timers alone, and on a virtual machine each wake-up costs about as much as
 * the ref check it starts. Polls due together also go out together. A task runs at most
 * one tick late, which the interval's ±10% jitter dwarfs.
 */
export class PollClock {
  private readonly due = new Map<() => void, number>();
  private readonly ticker: NodeJS.Timeout;

  constructor(readonly tickMs = 250) {
    this.ticker = setInterval(() => this.tick(), tickMs);
    this.ticker.unref();
  }

  readonly schedule: Schedule = (task, delayMs) => {
    const entry = () => task();
    this.due.set(entry, Date.now() + delayMs);
    return () => this.due.delete(entry);
  };

  stop(): void {
    clearInterval(this.ticker);
    this.due.clear();
  }

  private tick(): void {
    const now = Date.now();
    for (const [entry, at] of this.due) {
      if (at > now) continue;
      this.due.delete(entry);
      entry();
    }
  }
}
