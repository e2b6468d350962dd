import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { type KV, Kvm } from '@nats-io/kv';
import {
  type BeforeApplicationShutdown,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { PollerSession } from '../nats/poller-session';
import { replicaBuckets } from './replica-buckets';

/** A member that has not been heard from for this long is gone; also the bucket's max_age. */
export const MEMBER_TTL_MS = 10_000;
const HEARTBEAT_MS = 3_000;
const RETRY_MS = 5_000;

/**
 * The live repo-poller replicas, through a JetStream KV bucket: each replica puts its id
 * every few seconds and deletes it when it stops; the bucket's max_age drops a replica that
 * died (NATS 2.9 has no per-key TTL). A watch tells every replica about the others. Expired
 * entries make no watch event, so a member also counts as gone once it has not been heard
 * from for MEMBER_TTL_MS by this replica's own clock (no clock skew between machines).
 */
@Injectable()
export class PollerMembers implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(PollerMembers.name);
  readonly self = memberId();
  private readonly lastHeard = new Map<string, number>();
  private readonly listeners: Array<() => void> = [];
  private kv?: KV;
  private heartbeat?: NodeJS.Timeout;
  private stopWatch?: () => void;
  private heartbeatFailing = false;
  private stopped = false;
  private markJoined!: () => void;
  /** Resolves once this replica's first heartbeat came back through the watch (it has seen the others). */
  readonly joined = new Promise<void>((resolve) => (this.markJoined = resolve));

  constructor(private readonly session: PollerSession) {}

  onApplicationBootstrap(): void {
    void this.session.opened.then(() => this.joinWithRetry());
  }

  /** Every live member, this one included, sorted. */
  live(): string[] {
    return [...new Set([...this.lastHeard.keys(), this.self])].sort();
  }

  /** Called after the set of live members changed. */
  onChange(listener: () => void): void {
    this.listeners.push(listener);
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearInterval(this.heartbeat);
    this.stopWatch?.();
    // Leaving now hands this replica's repositories over at once, not after the TTL.
    await this.kv?.delete(this.self).catch(() => undefined);
  }

  private async joinWithRetry(): Promise<void> {
    for (let attempt = 1; !this.stopped; attempt++) {
      try {
        return await this.join();
      } catch (error) {
        this.logger.error({
          msg: `cannot join the repo-poller replicas, retrying in ${RETRY_MS / 1000} s`,
          member: this.self,
          attempt,
          error: (error as Error).message,
        });
        await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
      }
    }
  }

  private async join(): Promise<void> {
    const { nc, topology } = this.session.current;
    this.kv = await new Kvm(nc).create(replicaBuckets(topology).members, {
      history: 1,
      ttl: MEMBER_TTL_MS,
    });
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
    this.heartbeat = setInterval(() => void this.beat(), HEARTBEAT_MS);
    this.logger.log({ msg: 'joined the repo-poller replicas', member: this.self });
  }

  private async beat(): Promise<void> {
    this.expireSilent();
    try {
      await this.kv?.put(this.self, JSON.stringify({ member: this.self, at: Date.now() }));
      if (this.heartbeatFailing) this.logger.log({ msg: 'heartbeat restored', member: this.self });
      this.heartbeatFailing = false;
    } catch (error) {
      if (!this.heartbeatFailing)
        this.logger.warn({
          msg: 'cannot put the heartbeat of this repo-poller: the others will take over its repositories',
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
    const oldest = Date.now() - MEMBER_TTL_MS;
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
