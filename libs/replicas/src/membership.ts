import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { type KV, Kvm } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/transport-node';
import type { ReplicaLogger } from './replica-logger';

/** A member that has not been heard from for this long is gone; also the bucket's max_age. */
export const MEMBER_TTL_MS = 10_000;
const HEARTBEAT_MS = 3_000;
const RETRY_MS = 5_000;

export interface MembershipOptions {
  /** The KV bucket of the members (see replicaBuckets). */
  bucket: string;
  /** What the members are, for logs: "repo-poller", "reconciler". */
  role: string;
  logger: ReplicaLogger;
  ttlMs?: number;
  heartbeatMs?: number;
}

/** What a member puts on every heartbeat: enough for an operator to find the process. */
export interface MemberHeartbeat {
  member: string;
  host: string;
  pid: number;
  at: number;
}

/**
 * The live replicas of one service, through a JetStream KV bucket: each replica puts its id
 * every few seconds and deletes it when it stops; the bucket's max_age drops a replica that
 * died (NATS 2.9 has no per-key TTL). A watch tells every replica about the others. Expired
 * entries make no watch event, so a member also counts as gone once it has not been heard
 * from for the TTL by this replica's own clock (no clock skew between machines).
 */
export class Membership {
  readonly self = memberId();
  private readonly ttlMs: number;
  private readonly heartbeatMs: number;
  private readonly lastHeard = new Map<string, number>();
  private readonly listeners = new Set<() => void>();
  private kv?: KV;
  private heartbeat?: NodeJS.Timeout;
  private stopWatch?: () => void;
  private heartbeatFailing = false;
  private stopped = false;
  private markJoined!: () => void;
  /** Resolves once this replica's first heartbeat came back through the watch (it has seen the others). */
  readonly joined = new Promise<void>((resolve) => (this.markJoined = resolve));

  constructor(private readonly options: MembershipOptions) {
    this.ttlMs = options.ttlMs ?? MEMBER_TTL_MS;
    this.heartbeatMs = options.heartbeatMs ?? HEARTBEAT_MS;
  }

  /** Joins in the background, trying again until it works or `leave` is called. */
  join(nc: NatsConnection): void {
    void this.joinWithRetry(nc);
  }

  /** Every live member, this one included, sorted. */
  live(): string[] {
    return [...new Set([...this.lastHeard.keys(), this.self])].sort();
  }

  /** Calls `listener` after the set of live members changed; returns how to stop. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Leaving now hands this replica's work over at once, not after the TTL. */
  async leave(): Promise<void> {
    this.stopped = true;
    clearInterval(this.heartbeat);
    this.stopWatch?.();
    await this.kv?.delete(this.self).catch(() => undefined);
  }

  private async joinWithRetry(nc: NatsConnection): Promise<void> {
    const { logger, role } = this.options;
    for (let attempt = 1; !this.stopped; attempt++) {
      try {
        return await this.joinOnce(nc);
      } catch (error) {
        logger.error({
          msg: `cannot join the ${role} replicas, retrying in ${RETRY_MS / 1000} s`,
          member: this.self,
          attempt,
          error: (error as Error).message,
        });
        await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
      }
    }
  }

  private async joinOnce(nc: NatsConnection): Promise<void> {
    this.kv = await new Kvm(nc).create(this.options.bucket, { history: 1, ttl: this.ttlMs });
    const watch = await this.kv.watch();
    this.stopWatch = () => watch.stop();
    void (async () => {
      for await (const entry of watch) {
        if (entry.operation === 'PUT') this.heard(entry.key);
        else this.forget(entry.key);
      }
    })();
    await this.beat();
    if (this.stopped) return;
    this.heartbeat = setInterval(() => void this.beat(), this.heartbeatMs);
    this.options.logger.log({ msg: `joined the ${this.options.role} replicas`, member: this.self });
  }

  private async beat(): Promise<void> {
    this.expireSilent();
    const { logger, role } = this.options;
    const heartbeat: MemberHeartbeat = {
      member: this.self,
      host: hostname(),
      pid: process.pid,
      at: Date.now(),
    };
    try {
      await this.kv?.put(this.self, JSON.stringify(heartbeat));
      if (this.heartbeatFailing) logger.log({ msg: 'heartbeat restored', member: this.self });
      this.heartbeatFailing = false;
    } catch (error) {
      if (!this.heartbeatFailing)
        logger.warn({
          msg: `cannot put the heartbeat of this ${role}: the other replicas will take over its work`,
          member: this.self,
          error: (error as Error).message,
        });
      this.heartbeatFailing = true;
    }
  }

  private heard(member: string): void {
    const known = this.lastHeard.has(member);
    this.lastHeard.set(member, Date.now());
    if (member === this.self) this.markJoined();
    if (!known) this.changed();
  }

  private forget(member: string): void {
    if (this.lastHeard.delete(member)) this.changed();
  }

  private expireSilent(): void {
    const oldest = Date.now() - this.ttlMs;
    let expired = false;
    for (const [member, at] of this.lastHeard) {
      if (member !== this.self && at < oldest) {
        this.lastHeard.delete(member);
        expired = true;
      }
    }
    if (expired) this.changed();
  }

  private changed(): void {
    for (const listener of this.listeners) listener();
  }
}

/** Host, process and a random part: unique even for two replicas in one process (tests). */
function memberId(): string {
  const raw = `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
  return raw.replace(/[^A-Za-z0-9_-]/g, '_');
}
