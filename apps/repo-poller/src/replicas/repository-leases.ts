import { repositoryCacheKey } from '@cairn/git';
import { LeaseBucket, replicaBuckets } from '@cairn/replicas';
import { Injectable, Logger } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { PollerSession } from '../nats/poller-session';
import { PollerMembers } from './poller-members';

/** A lease whose holder died frees itself after this long (the bucket's max_age). */
export const LEASE_TTL_MS = 30_000;
/** A holder rewrites its lease this often while it works, so long fetches keep it. */
const RENEW_MS = 10_000;
/** How often a replica that found the lease held asks again while it waits. */
const RETRY_MS = 200;

/** The right to fetch, render and publish one repository now; release it when done. */
export interface RepositoryLease {
  release(): Promise<void>;
}

/**
 * One replica at a time updates a repository: before it fetches, it takes the repository's
 * lease (bucket `<root>_poller_leases`), and releases it when done; a replica that dies
 * holding one leaves it to the bucket's max_age. Per repository rather than per commit, and
 * with the refs read again once held, so that two replicas can never publish one app's
 * commits out of order.
 */
@Injectable()
export class RepositoryLeases {
  private bucket?: Promise<LeaseBucket>;

  constructor(
    private readonly session: PollerSession,
    private readonly members: PollerMembers,
  ) {}

  /** The lease of the repository `url`, or undefined while another replica holds it. */
  async acquire(url: string): Promise<RepositoryLease | undefined> {
    const leases = await this.open();
    return leases.acquire(repositoryCacheKey(url), this.members.self, { renewMs: RENEW_MS });
  }

  /**
   * The lease, waiting up to `waitMs` while another replica holds it. A poll that found a
   * moved ref (a webhook's, say) must not just give up: the holder may have read the refs
   * before that commit landed, and the next timed poll can be an interval away.
   */
  async acquireWithin(url: string, waitMs: number): Promise<RepositoryLease | undefined> {
    const deadline = Date.now() + waitMs;
    for (;;) {
      const lease = await this.acquire(url);
      if (lease || Date.now() + RETRY_MS > deadline) return lease;
      await sleep(RETRY_MS);
    }
  }

  private open(): Promise<LeaseBucket> {
    const { nc, topology } = this.session.current;
    this.bucket ??= LeaseBucket.open(nc, {
      bucket: replicaBuckets(topology, 'poller').leases,
      ttlMs: LEASE_TTL_MS,
      logger: new Logger(RepositoryLeases.name),
    }).catch((error: unknown) => {
      this.bucket = undefined; // the next poll tries again
      throw error;
    });
    return this.bucket;
  }
}
