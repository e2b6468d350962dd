import type { Topology } from '@cairn/contracts';

/**
 * The KV buckets repo-poller replicas share, named from the Topology root like every other
 * Cairn asset (dots become underscores), so installations and test runs stay apart.
 */
export function replicaBuckets(topology: Topology) {
  const base = topology.root.replace(/\./g, '_');
  return {
    /** One key per live repo-poller, put on every heartbeat; the bucket's max_age expires the dead. */
    members: `${base}_poller_members`,
    /** One key per repository being fetched and rendered, created atomically; expires if its holder dies. */
    leases: `${base}_poller_leases`,
  };
}
