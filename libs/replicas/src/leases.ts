import { JetStreamApiCodes, JetStreamApiError } from '@nats-io/jetstream';
import { type KV, Kvm } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/transport-node';
import type { ReplicaLogger } from './replica-logger';

export interface LeaseBucketOptions {
  /** The KV bucket of the leases (see replicaBuckets). */
  bucket: string;
  /** A lease whose holder stopped renewing it frees itself after this long (the bucket's max_age). */
  ttlMs: number;
  logger: ReplicaLogger;
}

export interface AcquireOptions {
  /** How often the holder rewrites its lease; a third of the TTL unless said. */
  renewMs?: number;
  /** Called once if the lease is lost while held: stop the work it guards, now. */
  onLost?: (reason: string) => void;
}

/** What a lease's key holds. */
export interface LeaseValue {
  holder: string;
  at: number;
}

/**
 * Leases in a JetStream KV bucket, one key per piece of work: taking one is an atomic
 * create (it fails while the key holds a live lease), keeping it is an update that names
 * the revision last written (it fails if anyone else wrote since), and the bucket's max_age
 * frees the lease of a holder that died. No consensus of our own: JetStream orders the
 * writes to a key, and the revision check makes them compare-and-set.
 */
export class LeaseBucket {
  private constructor(
    private readonly kv: KV,
    private readonly options: LeaseBucketOptions,
  ) {}

  static async open(nc: NatsConnection, options: LeaseBucketOptions): Promise<LeaseBucket> {
    const kv = await new Kvm(nc).create(options.bucket, { history: 1, ttl: options.ttlMs });
    return new LeaseBucket(kv, options);
  }

  /** The lease of `key` for `holder`, or undefined while someone holds it. */
  async acquire(
    key: string,
    holder: string,
    opts: AcquireOptions = {},
  ): Promise<Lease | undefined> {
    const sentAt = Date.now();
    let revision: number;
    try {
      revision = await this.kv.create(key, leaseValue(holder));
    } catch (error) {
      const entry = await this.kv.get(key);
      if (entry !== null && entry.operation === 'PUT') return undefined;
      throw error;
    }
    return new Lease(this.kv, key, holder, revision, sentAt, {
      ttlMs: this.options.ttlMs,
      renewMs: opts.renewMs ?? Math.floor(this.options.ttlMs / 3),
      onLost: opts.onLost,
      logger: this.options.logger,
    });
  }

  /** Who holds each lease now, by key: what an operator (or a test) looks at. */
  async holders(): Promise<Map<string, string>> {
    const holders = new Map<string, string>();
    for await (const key of await this.kv.keys()) {
      const entry = await this.kv.get(key);
      if (entry?.operation === 'PUT') holders.set(key, (entry.json() as LeaseValue).holder);
    }
    return holders;
  }
}

interface LeaseTiming {
  ttlMs: number;
  renewMs: number;
  onLost?: (reason: string) => void;
  logger: ReplicaLogger;
}

/**
 * A lease held: rewritten every `renewMs` while held. The holder counts it as held only
 * until one renewal short of the TTL after the last renewal it sent, so that it stops
 * working on what the lease guards before the bucket can free the lease for another.
 */
export class Lease {
  private renewedAt: number;
  private state: 'held' | 'lost' | 'released' = 'held';
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly kv: KV,
    readonly key: string,
    readonly holder: string,
    private revision: number,
    sentAt: number,
    private readonly timing: LeaseTiming,
  ) {
    this.renewedAt = sentAt;
    this.schedule();
  }

  /** Whether the work it guards may go on: not released, not lost, not about to expire. */
  get held(): boolean {
    return this.state === 'held' && Date.now() < this.validUntil();
  }

  /** Stops renewing and frees the key for others, if it is still this holder's. */
  async release(): Promise<void> {
    if (this.state !== 'held') return;
    this.state = 'released';
    clearTimeout(this.timer);
    await this.kv.delete(this.key, { previousSeq: this.revision }).catch(() => undefined);
  }

  private validUntil(): number {
    return this.renewedAt + this.timing.ttlMs - this.timing.renewMs;
  }

  private schedule(): void {
    const wait = Math.max(0, Math.min(this.timing.renewMs, this.validUntil() - Date.now()));
    this.timer = setTimeout(() => void this.renew(), wait);
  }

  private async renew(): Promise<void> {
    if (this.state !== 'held') return;
    if (Date.now() >= this.validUntil()) {
      const seconds = Math.round((Date.now() - this.renewedAt) / 1000);
      return this.lose(`not renewed for ${seconds} s: NATS could not be reached in time`);
    }
    const sentAt = Date.now();
    try {
      this.revision = await this.kv.update(
        this.key,
        leaseValue(this.holder),
        this.revision,
        this.timing.renewMs,
      );
      this.renewedAt = sentAt;
    } catch (error) {
      if (!isWrongRevision(error)) {
        this.timing.logger.warn({
          msg: 'cannot renew a lease; trying again',
          key: this.key,
          holder: this.holder,
          error: (error as Error).message,
        });
      } else if (!(await this.rewrittenByUs())) {
        return this.lose('written by another replica since: it expired and was taken over');
      }
    }
    if (this.state === 'held') this.schedule();
  }

  /** A renewal whose answer was lost still counts: the key holds this holder's latest write. */
  private async rewrittenByUs(): Promise<boolean> {
    const entry = await this.kv.get(this.key).catch(() => null);
    if (entry?.operation !== 'PUT' || (entry.json() as LeaseValue).holder !== this.holder)
      return false;
    this.revision = entry.revision;
    return true;
  }

  private lose(reason: string): void {
    if (this.state !== 'held') return;
    this.state = 'lost';
    this.timing.logger.warn({ msg: 'lease lost', key: this.key, holder: this.holder, reason });
    this.timing.onLost?.(reason);
  }
}

function leaseValue(holder: string): string {
  const value: LeaseValue = { holder, at: Date.now() };
  return JSON.stringify(value);
}

function isWrongRevision(error: unknown): boolean {
  return (
    error instanceof JetStreamApiError && error.code === JetStreamApiCodes.StreamWrongLastSequence
  );
}
