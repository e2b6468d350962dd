import { setTimeout as sleep } from 'node:timers/promises';
import type { ClusterRegistration, Topology } from '@cairn/contracts';
import { type Lease, LeaseBucket, Membership, ownerOf, replicaBuckets } from '@cairn/replicas';
import type { ReadinessChecks } from '@cairn/runtime';
import type { NatsConnection } from '@nats-io/transport-node';
import { Logger } from '@nestjs/common';
import type { ReconcilerMetrics } from '../metrics/reconciler-metrics';

/**
 * A dead replica's clusters are free this long after its last renewal at the latest: with
 * the members' 10 s TTL, its clusters run elsewhere well within 30 s of its death.
 */
export const CLUSTER_LEASE_TTL_MS = 15_000;
/** A holder rewrites its lease this often, and counts on it until TTL minus this after the last time. */
const RENEW_MS = 5_000;
/** A cluster this replica owns but whose lease another still holds is tried again this often. */
const CLAIM_RETRY_MS = 2_000;

/**
 * How the reconciler replicas of one installation divide the clusters registered in direct
 * mode, on JetStream only: each replica is a member of `<root>_reconciler_members` (a
 * heartbeat with a TTL), a cluster belongs to the member that rendezvous hashing of its name
 * over the live members picks, and a replica runs a cluster's worker only while it holds
 * the cluster's lease in `<root>_reconciler_leases` (revision-checked create and renewals,
 * freed by the bucket's max_age when its holder dies). Members may briefly disagree about
 * who is alive; the lease makes sure that even then one worker at most reads a cluster's
 * durable consumers and applies to it. A replica hands a cluster over only after its
 * worker has stopped and what that worker had started has finished.
 */
export class ClusterShare {
  private readonly logger = new Logger(ClusterShare.name);
  private readonly membership: Membership;
  private readonly buckets: ReturnType<typeof replicaBuckets>;
  private bucket?: Promise<LeaseBucket>;
  private readonly leases = new Map<string, Lease>();
  /** Clusters whose worker stopped but whose operations still run: not claimed again meanwhile. */
  private readonly draining = new Set<string>();
  private readonly listeners = new Set<() => void>();
  private retry?: NodeJS.Timeout;
  private stopped = false;
  private hasJoined = false;
  /** Resolves once this replica is a member and has seen the others: it claims nothing before. */
  readonly joined: Promise<void>;

  /** Joins the members in the background, trying again until it works or `leave` is called. */
  constructor(
    private readonly nc: NatsConnection,
    topology: Topology,
    readiness: ReadinessChecks,
    metrics: ReconcilerMetrics,
  ) {
    this.buckets = replicaBuckets(topology, 'reconciler');
    this.membership = new Membership({
      bucket: this.buckets.members,
      role: 'reconciler',
      logger: this.logger,
    });
    this.membership.onChange(() => this.changed());
    this.membership.join(nc);
    this.joined = this.membership.joined.then(() => void (this.hasJoined = true));
    readiness.register('replicas', () => {
      if (!this.hasJoined)
        throw new Error(`not yet a member of the reconciler replicas (${this.buckets.members})`);
    });
    metrics.reportMembers(() => this.membership.live().length);
  }

  get self(): string {
    return this.membership.self;
  }

  /** Calls `listener` when the clusters this replica should run may have changed. */
  onChange(listener: () => void): void {
    this.listeners.add(listener);
  }

  /**
   * Of the `served` clusters, those this replica is to run now: those it owns among the live
   * members and whose lease it holds, taking each lease that is free. One it owns whose
   * lease is still held elsewhere (its previous owner is handing it over, or died) is tried
   * again shortly. A lease lost while held is not taken again here: its worker stops first.
   */
  async claim(served: readonly ClusterRegistration[]): Promise<ClusterRegistration[]> {
    if (this.stopped) return [];
    const members = this.membership.live();
    const mine: ClusterRegistration[] = [];
    let waiting = 0;
    for (const cluster of served) {
      if (ownerOf(cluster.name, members) !== this.self) continue;
      if (await this.hold(cluster.name)) mine.push(cluster);
      else waiting++;
    }
    clearTimeout(this.retry);
    if (waiting > 0) this.retry = setTimeout(() => this.changed(), CLAIM_RETRY_MS);
    return mine;
  }

  /**
   * Frees a cluster's lease once the operations its stopped worker had started (`idle`)
   * have finished; if they take longer than `waitMs`, the lease is kept (and renewed) until
   * they do, so that its next owner never applies alongside them. Call it for every worker
   * stopped for good, its lease lost or not.
   */
  async release(cluster: string, idle: Promise<void>, waitMs = 30_000): Promise<void> {
    const lease = this.leases.get(cluster);
    if (!lease) return;
    this.draining.add(cluster);
    const wait = new AbortController();
    const finished = await Promise.race([
      idle.then(() => true),
      sleep(waitMs, false, { signal: wait.signal }).catch(() => false),
    ]);
    wait.abort();
    if (finished) return this.free(cluster, lease);
    this.logger.warn({
      msg: 'operations of a stopped worker still run: its cluster is handed over when they finish',
      cluster,
      member: this.self,
    });
    void idle.then(() => this.free(cluster, lease));
  }

  /** Frees the leases of clusters this replica no longer runs (deregistered, say). */
  async releaseAllBut(kept: ReadonlySet<string>): Promise<void> {
    for (const cluster of [...this.leases.keys()])
      if (!kept.has(cluster) && !this.draining.has(cluster))
        await this.free(cluster, this.leases.get(cluster));
  }

  /** Stops taking clusters and leaves the members, so that the others start taking over now. */
  async leave(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retry);
    await this.membership.leave();
  }

  private async hold(cluster: string): Promise<boolean> {
    if (this.draining.has(cluster)) return false;
    const lease = this.leases.get(cluster);
    // A lost one stays until `release`: its worker stops, and its operations end, first.
    if (lease) return lease.held;
    try {
      const taken = await (
        await this.leaseBucket()
      ).acquire(cluster, this.self, {
        renewMs: RENEW_MS,
        onLost: () => this.changed(),
      });
      if (!taken) return false;
      this.leases.set(cluster, taken);
      this.logger.log({ msg: 'took the lease of a cluster', cluster, member: this.self });
      return true;
    } catch (error) {
      this.logger.warn({
        msg: 'cannot take the lease of a cluster; trying again',
        cluster,
        member: this.self,
        error: (error as Error).message,
      });
      return false;
    }
  }

  private leaseBucket(): Promise<LeaseBucket> {
    this.bucket ??= LeaseBucket.open(this.nc, {
      bucket: this.buckets.leases,
      ttlMs: CLUSTER_LEASE_TTL_MS,
      logger: this.logger,
    }).catch((error: unknown) => {
      this.bucket = undefined; // the next claim tries again
      throw error;
    });
    return this.bucket;
  }

  private async free(cluster: string, lease: Lease | undefined): Promise<void> {
    this.draining.delete(cluster);
    if (!lease || this.leases.get(cluster) !== lease) return;
    this.leases.delete(cluster);
    await lease.release();
    this.logger.log({ msg: 'handed a cluster over', cluster, member: this.self });
    // Owned again meanwhile (the members changed back): claimed anew.
    this.changed();
  }

  private changed(): void {
    if (this.stopped) return;
    for (const listener of this.listeners) listener();
  }
}
