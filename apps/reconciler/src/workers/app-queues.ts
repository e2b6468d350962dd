/**
 * Runs each app's operations one after another, in the order they were queued, and at
 * most `limit` operations of different apps at once: two syncs of one app never race,
 * while one slow app does not hold up the others.
 */
export class AppQueues {
  private readonly tails = new Map<string, Promise<void>>();
  private readonly waiting: Array<() => void> = [];
  private running = 0;

  constructor(private readonly limit: number) {}

  run<T>(app: string, work: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(app) ?? Promise.resolve();
    const result = previous.then(() => this.withSlot(work));
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(app, tail);
    void tail.then(() => {
      if (this.tails.get(app) === tail) this.tails.delete(app);
    });
    return result;
  }

  /** Operations running now (not those waiting for their turn). */
  get inFlight(): number {
    return this.running;
  }

  /** Settles when everything queued so far has finished. */
  async idle(): Promise<void> {
    await Promise.all([...this.tails.values()]);
  }

  private async withSlot<T>(work: () => Promise<T>): Promise<T> {
    if (this.running >= this.limit)
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.running++;
    try {
      return await work();
    } finally {
      this.running--;
      this.waiting.shift()?.();
    }
  }
}
