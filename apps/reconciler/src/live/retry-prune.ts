import type { ResourceRef } from '@cairn/contracts';
import { prune } from '../sync/prune';
import { describeRefs, refKey } from '../sync/resource-refs';
import type { SyncState } from '../sync-state/sync-state';
import type { WorkerContext } from '../workers/worker-context';

/**
 * At a resync, an automated app with prune on tries again to delete what it no longer
 * declares and could not delete before (Flux retries at its interval too). What is gone
 * leaves the inventory; what still fails stays, and is tried at the next resync.
 */
export async function retryPrune(
  ctx: WorkerContext,
  app: string,
  state: SyncState,
  leftovers: readonly ResourceRef[],
): Promise<void> {
  const result = await prune(ctx, app, leftovers);
  const done = new Set([...result.pruned, ...result.disowned].map(refKey));
  if (done.size > 0) {
    await ctx.states.put({
      ...state,
      inventory: state.inventory.filter((r) => !done.has(refKey(r))),
    });
    if (result.pruned.length > 0)
      await ctx.events.emit(app, 'Pruned', `pruned ${describeRefs(result.pruned)} (retried)`, {
        revision: state.lastSynced?.revision,
        resources: result.pruned,
      });
    ctx.live.schedule(app);
  }
  if (result.failed.length > 0)
    ctx.logger.warn({
      msg: 'prune retry failed; tried again at the next resync',
      app,
      cluster: ctx.cluster,
      errors: result.failed.map((f) => f.message),
    });
}
