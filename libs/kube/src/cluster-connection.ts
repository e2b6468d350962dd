/** Whether Cairn reaches a cluster's API server, and since when. */
export type ConnectionState =
  { reachable: true; since: string } | { reachable: false; since: string; message: string };

export interface ClusterConnectionOptions {
  /** While unreachable, the API server is probed this often, so its return is noticed at once. */
  probeIntervalMs: number;
}

/** Node's codes for a request that got no answer: refused, reset, unroutable, unresolved, timed out. */
const NO_ANSWER_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ENETUNREACH',
  'ENETDOWN',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
]);

/** Whether the error says the API server never answered (as opposed to answering "no"). */
export function isConnectionError(error: unknown): boolean {
  for (let e = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++)
    if (NO_ANSWER_CODES.has((e as NodeJS.ErrnoException).code ?? '')) return true;
  return false;
}

/**
 * Whether one API server can be reached, as a state with transitions (not a guess per
 * request). A request that got no answer does not decide it alone: a kept-alive socket
 * reset by the server is ordinary, so the server's readiness endpoint is asked first, and
 * only when that fails too is the cluster unreachable. From then on it is probed every
 * `probeIntervalMs` until it answers, so its return is noticed within that time whether or
 * not anything else asks. Listeners hear of each transition once.
 */
export class ClusterConnection {
  private current: ConnectionState = { reachable: true, since: new Date().toISOString() };
  private probing?: Promise<boolean>;
  private timer?: NodeJS.Timeout;
  private stopped = false;
  private readonly listeners = new Set<(state: ConnectionState) => void>();

  constructor(
    /** The API server's URL, for messages. */
    readonly server: string,
    /** Resolves when the server answers as ready; rejects with why not. */
    private readonly probe: () => Promise<void>,
    private readonly options: ClusterConnectionOptions = { probeIntervalMs: 2_000 },
  ) {}

  get state(): ConnectionState {
    return this.current;
  }

  get reachable(): boolean {
    return this.current.reachable;
  }

  /** A request got no answer: find out whether the server is gone (once, however many failed). */
  noteUnanswered(): void {
    if (this.current.reachable && !this.stopped) void this.check();
  }

  /** Asks the server now (joining a probe already under way); resolves to whether it answered. */
  check(): Promise<boolean> {
    this.probing ??= this.runProbe().finally(() => (this.probing = undefined));
    return this.probing;
  }

  /** Resolves true once the server is reachable (at once if it is), false if `signal` aborts first. */
  whenReachable(signal: AbortSignal): Promise<boolean> {
    if (this.current.reachable) return Promise.resolve(true);
    if (signal.aborted) return Promise.resolve(false);
    return new Promise((resolve) => {
      const done = (reachable: boolean) => {
        unsubscribe();
        signal.removeEventListener('abort', aborted);
        resolve(reachable);
      };
      const aborted = () => done(false);
      const unsubscribe = this.onChange((state) => state.reachable && done(true));
      signal.addEventListener('abort', aborted);
    });
  }

  /** Called on every transition, reachable or not. */
  onChange(listener: (state: ConnectionState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private async runProbe(): Promise<boolean> {
    try {
      await this.probe();
      this.transition({ reachable: true, since: new Date().toISOString() });
      return true;
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      this.transition({
        reachable: false,
        since: new Date().toISOString(),
        message: `API server ${this.server} unreachable: ${reason}`,
      });
      return false;
    }
  }

  private transition(next: ConnectionState): void {
    if (!next.reachable) this.probeLater();
    else {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    // Still down (perhaps for another reason): no new transition, so no storm of updates.
    if (next.reachable === this.current.reachable || this.stopped) return;
    this.current = next;
    for (const listener of [...this.listeners]) {
      try {
        listener(next);
      } catch {
        // a listener's failure is its own; the others still hear of the change
      }
    }
  }

  private probeLater(): void {
    if (this.timer || this.stopped) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.check();
    }, this.options.probeIntervalMs);
    this.timer.unref();
  }
}
