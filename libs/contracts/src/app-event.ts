import { z } from 'zod';
import { SchemaVersion1, Timestamp } from './codec';
import { HealthState, ResourceRef } from './app-status';
import { BundleDigest, Revision } from './desired-state';
import { AppName, ClusterName } from './names';

export const APP_EVENT_TYPES = [
  'SyncStarted',
  'Applied',
  'Pruned',
  'PruneFailed',
  'DriftDetected',
  'DriftReverted',
  'HealthChanged',
  'SyncFailed',
  'SyncSucceeded',
  'AppDeleted',
  /** The api turned automated sync off and asked the reconciler to redeploy a history entry. */
  'RolledBack',
] as const;
export type AppEventType = (typeof APP_EVENT_TYPES)[number];

/**
 * `cairn.events.<cluster>.<app>`: something that happened to an app. The event's id is its
 * JetStream stream sequence, not a payload field: it is what the SSE stream sends as the
 * event id, so a client resumes with Last-Event-ID and misses nothing.
 */
export const AppEvent = z
  .object({
    v: SchemaVersion1,
    type: z.enum(APP_EVENT_TYPES),
    app: AppName,
    cluster: ClusterName,
    /** For people; never holds Secret data. */
    message: z.string().max(4096),
    time: Timestamp,
    revision: Revision.optional(),
    /** On SyncSucceeded: the bundle that was deployed, so history can redeploy it exactly. */
    bundleDigest: BundleDigest.optional(),
    /** Machine-readable cause of a failure: DryRunFailed, ApplyFailed, ... */
    reason: z.string().max(128).optional(),
    /** The objects it concerns: applied, pruned, drifted. */
    resources: z.array(ResourceRef).optional(),
    /** New health, on HealthChanged. */
    health: HealthState.optional(),
    /** On RolledBack: the history entry deployed again. */
    historyId: z.number().int().nonnegative().optional(),
    /** Who asked for it, when a user did (RolledBack). */
    initiatedBy: z.string().min(1).max(256).optional(),
  })
  .describe('AppEvent');

export type AppEvent = z.infer<typeof AppEvent>;
