import { repositoryCacheKey } from '@cairn/git';
import { type KV, Kvm } from '@nats-io/kv';
import { Injectable, Logger } from '@nestjs/common';
import { PollerSession } from '../nats/poller-session';
import { PollerMembers } from './poller-members';
import { replicaBuckets } from './replica-buckets';

/** A lease whose holder died frees itself after this long (the bucket's max_age). */
export const LEASE_TTL_MS = 30_000;
/** A holder rewrites its lease this often while it works, so long fetches keep it. */
const RENEW_MS = 10_000;

/** The right to fetch, render and publish one repository now; release it when done. */
export interface RepositoryLease {
  release(): Promise<void>;
}

/**
 * One replica at a time updates a repository: before it fetches, it creates the
 * repository's key in a KV bucket (create is atomic and fails when the key exists), and
 * deletes it when done. A replica that dies holding one leaves it to the bucket's max_age.
 * Per repository rather than per commit, and with the refs read again once held, so that
 * two replicas can never publish one app's commits out of order.
 */
@Injectable()
export class RepositoryLeases {
  private readonly logger = new Logger(RepositoryLeases.name);
  private bucket?: Promise<KV>;

  constructor(
    private readonly session: PollerSession,
    private readonly members: PollerMembers,
  ) {}

  /** The lease of the repository `url`, or undefined while another replica holds it. */
  async acquire(url: string): Promise<RepositoryLease | undefined> {
    const kv = await this.open();
    const key = repositoryCacheKey(url);
    const value = JSON.stringify({ member: this.members.self, at: Date.now() });
    let revision: number;
    try {
      revision = await kv.create(key, value);
    } catch (error) {
      if (await this.isHeldByAnother(kv, key)) return undefined;
      throw error;
    }
    const renew = setInterval(() => {
      kv.update(key, value, revision).then(
        (next) => (revision = next),
        (error: Error) =>
          this.logger.warn({ msg: 'cannot renew a repository lease', key, error: error.message }),
      );
    }, RENEW_MS);
    return {
      release: async () => {
        clearInterval(renew);
        // Only our own lease: if it expired and another replica took it, theirs stays.
        await kv.delete(key, { previousSeq: revision }).catch(() => undefined);
      },
    };
  }

  private async isHeldByAnother(kv: KV, key: string): Promise<boolean> {
    const entry = await kv.get(key);
    return entry !== null && entry.operation === 'PUT';
  }

  private open(): Promise<KV> {
    this.bucket ??= new Kvm(this.session.current.nc)
      .create(replicaBuckets(this.session.current.topology).leases, {
        history: 1,
        ttl: LEASE_TTL_MS,
      })
      .catch((error: unknown) => {
        this.bucket = undefined; // the next poll tries again
        throw error;
      });
    return this.bucket;
  }
}
