export interface BackoffPolicy {
  /** Wait before the second revert of an object; doubled for each further one. */
  baseMs: number;
  maxMs: number;
  /** An object left alone this long (beyond its current wait) starts afresh. */
  quietMs: number;
}

export const REVERT_BACKOFF: BackoffPolicy = { baseMs: 1_000, maxMs: 5 * 60_000, quietMs: 60_000 };

/**
 * Self-heal's brake, per object: the first revert is immediate, then each further revert
 * of the same object waits twice as long as the one before (1 s, 2 s, 4 s ... 5 min), so
 * Cairn never fights another controller (an HPA, an operator) in a tight loop. An object
 * that stays put for a while is forgiven.
 */
export class RevertBackoff {
  private readonly objects = new Map<string, { reverts: number; last: number }>();

  constructor(private readonly policy: BackoffPolicy = REVERT_BACKOFF) {}

  /** Milliseconds to wait before the object may be reverted again; 0: now. */
  delay(key: string, now: number): number {
    const entry = this.current(key, now);
    if (!entry) return 0;
    return Math.max(0, entry.last + this.waitAfter(entry.reverts) - now);
  }

  reverted(key: string, now: number): void {
    const entry = this.current(key, now);
    this.objects.set(key, { reverts: (entry?.reverts ?? 0) + 1, last: now });
  }

  forget(prefix: string): void {
    for (const key of this.objects.keys()) if (key.startsWith(prefix)) this.objects.delete(key);
  }

  private current(key: string, now: number) {
    const entry = this.objects.get(key);
    if (entry && now - entry.last > this.waitAfter(entry.reverts) + this.policy.quietMs) {
      this.objects.delete(key);
      return undefined;
    }
    return entry;
  }

  private waitAfter(reverts: number): number {
    return Math.min(this.policy.baseMs * 2 ** (reverts - 1), this.policy.maxMs);
  }
}
