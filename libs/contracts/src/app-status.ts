import { z } from 'zod';
import { SchemaVersion1, Timestamp } from './codec';
import { Revision } from './desired-state';
import { AppName, ClusterName } from './names';

// Argo CD's vocabulary, so its users read Cairn's status without a glossary.
export const SYNC_STATUSES = ['Synced', 'OutOfSync', 'Unknown'] as const;
export const HEALTH_STATUSES = [
  'Healthy',
  'Progressing',
  'Degraded',
  'Suspended',
  'Missing',
  'Unknown',
] as const;
export const OPERATION_PHASES = ['Running', 'Succeeded', 'Failed', 'Error'] as const;

export type SyncStatusCode = (typeof SYNC_STATUSES)[number];
export type HealthStatusCode = (typeof HEALTH_STATUSES)[number];
export type OperationPhase = (typeof OPERATION_PHASES)[number];

export const HealthState = z.object({
  status: z.enum(HEALTH_STATUSES),
  message: z.string().optional(),
});

/** One Kubernetes object; `group` is "" for the core API, `namespace` absent if cluster-scoped. */
export const ResourceRef = z.object({
  group: z.string(),
  version: z.string().min(1),
  kind: z.string().min(1),
  namespace: z.string().optional(),
  name: z.string().min(1),
});

export const ResourceStatus = ResourceRef.extend({
  status: z.enum(SYNC_STATUSES),
  health: HealthState.optional(),
});

export const OperationState = z.object({
  phase: z.enum(OPERATION_PHASES),
  message: z.string().optional(),
  startedAt: Timestamp,
  finishedAt: Timestamp.optional(),
});

/** Something wrong that is not about one object: the app cannot be rendered, its cluster is unreachable, ... */
export const AppCondition = z.object({
  type: z.enum(['ComparisonError', 'SyncError', 'ClusterUnreachable', 'InvalidSpec']),
  message: z.string().max(4096),
  lastTransitionTime: Timestamp,
});

/**
 * `cairn.status.<cluster>.<app>`: the whole current status of an app on a cluster, as the
 * reconciler sees it; each message replaces the previous one.
 */
export const AppStatus = z
  .object({
    v: SchemaVersion1,
    app: AppName,
    cluster: ClusterName,
    sync: z.object({ status: z.enum(SYNC_STATUSES), revision: Revision.optional() }),
    health: HealthState,
    /** Absent until the first sync operation. */
    operationState: OperationState.optional(),
    resources: z.array(ResourceStatus),
    conditions: z.array(AppCondition).default([]),
    reconciledAt: Timestamp,
  })
  .describe('AppStatus');

export type HealthState = z.infer<typeof HealthState>;
export type ResourceRef = z.infer<typeof ResourceRef>;
export type ResourceStatus = z.infer<typeof ResourceStatus>;
export type OperationState = z.infer<typeof OperationState>;
export type AppStatus = z.infer<typeof AppStatus>;
export type AppCondition = z.infer<typeof AppCondition>;
