import type { AppStatus } from '@cairn/contracts';
import type { ClusterEntity } from '@cairn/persistence';

/** Argo CD's words for whether Cairn reaches a cluster. */
export interface ConnectionState {
  status: 'Successful' | 'Failed' | 'Unknown';
  message?: string;
  /** When the reconciler last said so. */
  attemptedAt?: string;
}

export interface ClusterView {
  name: string;
  mode: 'direct' | 'agent';
  server?: string;
  /** Whether Cairn holds credentials for it; what they are is never shown. */
  hasCredentials: boolean;
  connectionState: ConnectionState;
  info: { applicationsCount: number };
  createdAt: string;
}

/**
 * A cluster's connection state, as the newest status any of its applications reported
 * tells it: a ClusterUnreachable condition means Failed; any other status means the
 * reconciler reached it. No status yet: Unknown.
 */
export function connectionState(statuses: AppStatus[]): ConnectionState {
  const newest = statuses.reduce<AppStatus | undefined>(
    (a, b) => (a === undefined || Date.parse(b.reconciledAt) > Date.parse(a.reconciledAt) ? b : a),
    undefined,
  );
  if (!newest) return { status: 'Unknown' };
  const unreachable = newest.conditions.find((c) => c.type === 'ClusterUnreachable');
  if (unreachable) {
    return { status: 'Failed', message: unreachable.message, attemptedAt: newest.reconciledAt };
  }
  return { status: 'Successful', attemptedAt: newest.reconciledAt };
}

export function clusterView(
  row: ClusterEntity,
  applications: { status: AppStatus | null }[],
): ClusterView {
  const statuses = applications.flatMap((app) => (app.status ? [app.status] : []));
  return {
    name: row.name,
    mode: row.mode,
    ...(row.server !== null && { server: row.server }),
    hasCredentials: row.credentialsCiphertext !== null,
    connectionState: connectionState(statuses),
    info: { applicationsCount: applications.length },
    createdAt: row.createdAt.toISOString(),
  };
}
