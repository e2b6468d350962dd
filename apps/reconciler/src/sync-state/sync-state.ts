import {
  AppName,
  BundleDigest,
  ClusterName,
  DesiredState,
  ResourceRef,
  Revision,
  SchemaVersion1,
  Timestamp,
} from '@cairn/contracts';
import { z } from 'zod';

/** What was last applied to the cluster, successfully. */
export const LastSynced = z.object({
  revision: Revision,
  bundleDigest: BundleDigest,
  at: Timestamp,
});

/**
 * What a reconciler remembers of one app on its cluster, across restarts: the latest
 * desired state (so a sync command knows what to deploy), what it last synced (so a
 * redelivered message is a no-op) and the inventory of what it applied (so prune knows
 * what the app owned, even after a restart).
 */
export const SyncState = z
  .object({
    v: SchemaVersion1,
    app: AppName,
    cluster: ClusterName,
    desired: DesiredState.optional(),
    /** Stream sequence of `desired`: an older message delivered late must not win. */
    desiredSequence: z.number().int().nonnegative().default(0),
    lastSynced: LastSynced.optional(),
    inventory: z.array(ResourceRef).default([]),
    /** Ids of the latest commands run, so a redelivered command does not run twice. */
    recentCommands: z.array(z.string()).default([]),
  })
  .describe('SyncState');

export type SyncState = z.infer<typeof SyncState>;
export type LastSynced = z.infer<typeof LastSynced>;

const RECENT_COMMANDS = 32;

export function emptySyncState(cluster: string, app: string): SyncState {
  return { v: 1, app, cluster, desiredSequence: 0, inventory: [], recentCommands: [] };
}

/** Whether this revision and bundle are exactly what was last applied. */
export function isSynced(state: SyncState, target: { revision: string; bundleDigest?: string }) {
  return (
    state.lastSynced?.revision === target.revision &&
    state.lastSynced.bundleDigest === target.bundleDigest
  );
}

export function rememberCommand(state: SyncState, id: string): SyncState {
  return { ...state, recentCommands: [...state.recentCommands, id].slice(-RECENT_COMMANDS) };
}
