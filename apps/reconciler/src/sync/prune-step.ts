import { hasSyncOption, type ResourceRef } from '@cairn/contracts';
import type { AppliedRevision } from '../live/applied-objects';
import { readLive } from '../live/read-live';
import { untilHealthy } from '../live/until-healthy';
import type { WorkerContext } from '../workers/worker-context';
import { prune, type PruneResult } from './prune';
import { describeRefs, refKey } from './resource-refs';
import type { SyncRequest } from './sync-request';

/** How long PruneLast waits for the applied objects to become healthy before giving up. */
export const PRUNE_LAST_TIMEOUT_MS = 10 * 60_000;

export interface PruneStepResult extends PruneResult {
  /** PruneLast=true and the app did not become healthy: not pruned, pruned at a later sync. */
  heldBack?: { refs: ResourceRef[]; reason: string };
}

/**
 * The prune of a sync. With PruneLast=true (Argo CD's option) the leftovers are deleted
 * only once everything the sync applied is healthy, as the live cache's events tell it:
 * the old objects keep serving until the new ones can.
 */
export async function pruneStep(
  ctx: WorkerContext,
  request: SyncRequest,
  sync: {
    applied: ResourceRef[];
    leftovers: ResourceRef[];
    previous?: AppliedRevision;
    startedAt: string;
  },
): Promise<PruneStepResult> {
  const { app } = request;
  if (sync.leftovers.length > 0 && hasSyncOption(request.spec, 'PruneLast=true')) {
    const current = ctx.applied.get(app);
    await ctx.board.update(app, {
      operationState: {
        phase: 'Running',
        message: `applied ${sync.applied.length} objects; pruning ${describeRefs(sync.leftovers)} once they are healthy (PruneLast=true)`,
        startedAt: sync.startedAt,
      },
    });
    const health = await untilHealthy(
      ctx.cache,
      sync.applied,
      (ref) => readLive(ctx.cache, ref, current?.objects.get(refKey(ref))),
      { timeoutMs: PRUNE_LAST_TIMEOUT_MS, signal: ctx.stopping },
    );
    if (health.status !== 'Healthy') {
      const reason = `PruneLast=true and the app is ${health.status}${health.message ? ` (${health.message})` : ''}`;
      return { pruned: [], disowned: [], failed: [], heldBack: { refs: sync.leftovers, reason } };
    }
  }
  return prune(ctx, app, sync.leftovers, sync.previous);
}
