import type { Topology } from '@cairn/contracts';

/**
 * The KV buckets the replicas of one service share ("poller", "reconciler"), named from the
 * Topology root like every other Cairn asset (dots become underscores), so installations
 * and test runs stay apart.
 */
export function replicaBuckets(topology: Topology, service: string) {
  const base = `${topology.root.replace(/\./g, '_')}_${service}`;
  return {
    /** One key per live replica, put on every heartbeat; the bucket's max_age expires the dead. */
    members: `${base}_members`,
    /** One key per piece of work being done, created atomically; expires if its holder dies. */
    leases: `${base}_leases`,
  };
}
