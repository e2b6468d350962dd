import type { ApplicationDestination } from '@cairn/contracts';
import type { Problem } from '../http/api-errors';

export interface RegisteredCluster {
  name: string;
  server: string | null;
}

/**
 * The registered cluster an application's destination means: by name, or by API server
 * URL as Argo CD allows. Otherwise the problem to report, naming the field at fault.
 */
export function resolveDestination(
  destination: ApplicationDestination,
  clusters: RegisteredCluster[],
): { cluster: string } | { problem: Problem } {
  const { name, server } = destination;
  if (name !== undefined && server !== undefined) {
    return {
      problem: {
        path: 'spec.destination',
        reason: 'give destination.name or destination.server, not both',
      },
    };
  }
  if (name !== undefined) {
    if (clusters.some((cluster) => cluster.name === name)) return { cluster: name };
    return {
      problem: {
        path: 'spec.destination.name',
        reason: `names no registered cluster ("${name}"): register it with POST /api/v1/clusters first`,
      },
    };
  }
  const wanted = normalizeServer(server ?? '');
  const matches = clusters.filter(
    (cluster) => cluster.server !== null && normalizeServer(cluster.server) === wanted,
  );
  if (matches.length === 1) return { cluster: matches[0].name };
  return {
    problem: {
      path: 'spec.destination.server',
      reason:
        matches.length === 0
          ? `is the server of no registered cluster ("${server}"): register it with POST /api/v1/clusters first`
          : `is the server of several clusters (${matches.map((c) => `"${c.name}"`).join(', ')}): use destination.name`,
    },
  };
}

/** `https://Host:443/` and `https://host` are one API server. */
export function normalizeServer(server: string): string {
  try {
    const url = new URL(server.trim());
    const port = url.port ? `:${url.port}` : '';
    return `${url.protocol}//${url.hostname}${port}${url.pathname.replace(/\/+$/, '')}`;
  } catch {
    return server.trim().replace(/\/+$/, '');
  }
}
