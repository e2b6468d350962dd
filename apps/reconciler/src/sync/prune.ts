import type { ResourceRef } from '@cairn/contracts';
import { isTrackedBy, KubeApiError } from '@cairn/kube';
import { sortForPrune } from '@cairn/manifests';
import type { AppliedRevision } from '../live/applied-objects';
import { readLive } from '../live/read-live';
import type { WorkerContext } from '../workers/worker-context';
import { describeRef, objectRefOf, refKey } from './resource-refs';
import { messageOf } from './sync-failure';

export interface PruneResult {
  pruned: ResourceRef[];
  /** Live objects that no longer carry this app's tracking annotation: someone else's now. */
  disowned: ResourceRef[];
  /** Still in the cluster after a failed delete: they stay in the inventory and are retried. */
  failed: Array<{ ref: ResourceRef; message: string }>;
}

/**
 * Deletes what the app owned before and no longer declares, in reverse apply order,
 * cluster-scoped objects included. Only objects that carry this app's tracking annotation
 * are deleted, and only the very object seen (its uid is a precondition of the delete): an
 * object of the same name that someone else created, took over or recreated is never
 * touched. Objects are read from the live cache (`previous`, the last sync's answers, covers
 * the moment its watch events are still on their way).
 */
export async function prune(
  ctx: Pick<WorkerContext, 'cache' | 'client'>,
  app: string,
  leftovers: readonly ResourceRef[],
  previous?: AppliedRevision,
): Promise<PruneResult> {
  const result: PruneResult = { pruned: [], disowned: [], failed: [] };
  for (const ref of sortForPrune(leftovers)) {
    const reading = readLive(ctx.cache, ref, previous?.objects.get(refKey(ref)));
    if (reading.unknown) {
      result.failed.push({
        ref,
        message: `${describeRef(ref)}: cannot tell whether it is still there (${reading.unknown})`,
      });
      continue;
    }
    const live = reading.object;
    if (!live) continue; // gone (or no longer labelled as the app's): nothing to delete, nothing to remember
    if (!isTrackedBy(app, live)) {
      result.disowned.push(ref);
      continue;
    }
    try {
      await ctx.client.delete(objectRefOf(ref), { uid: live.metadata.uid });
      result.pruned.push(ref);
    } catch (error) {
      // 409: the uid changed, so the object was deleted and created again since, by someone else.
      if (error instanceof KubeApiError && error.statusCode === 409) result.disowned.push(ref);
      else result.failed.push({ ref, message: naming(ref, messageOf(error)) });
    }
  }
  return result;
}

/** The API server's errors name the object already; others get its name in front. */
function naming(ref: ResourceRef, message: string): string {
  return message.startsWith(describeRef(ref)) ? message : `${describeRef(ref)}: ${message}`;
}
