/**
 * Runs at most `max` tasks at once, the rest in arrival order. Keeps a thousand
 * repositories that all come due together (at startup) from opening a thousand
 * connections at once.
 */
export class ConcurrencyLimit {
  private active = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly max: number) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active >= this.max) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.active++;
    try {
      return await task();
    } finally {
      // Hand the slot straight to the next task, so `active` never dips and lets a newcomer in.
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    }
  }
}
