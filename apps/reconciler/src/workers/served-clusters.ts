import type { ClusterRegistration } from '@cairn/contracts';

/**
 * The registered clusters this process runs workers for: an agent's own cluster
 * (CAIRN_AGENT_CLUSTER), or those CAIRN_CLUSTERS names (a shard of the control plane), else
 * every cluster the control plane reaches directly. Agent-mode clusters are left to their
 * agent.
 */
export function servedClusters(
  configured: readonly string[],
  registered: readonly ClusterRegistration[],
): ClusterRegistration[] {
  if (configured.length > 0) return registered.filter((c) => configured.includes(c.name));
  return registered.filter((c) => c.mode === 'direct');
}
