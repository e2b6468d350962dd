import type { ResourceRef } from '@cairn/contracts';
import { type ClusterClient, isTrackedBy } from '@cairn/kube';
import { sortForPrune } from '@cairn/manifests';
import { describeRef, objectRefOf } from './resource-refs';
import { messageOf } from './sync-failure';

export interface PruneResult {
  pruned: ResourceRef[];
  /** Live objects that no longer carry this app's tracking annotation: someone else's now. */
  disowned: ResourceRef[];
  /** Still in the cluster after a failed delete: they stay in the inventory and are retried. */
  failed: Array<{ ref: ResourceRef; message: string }>;
}

/**
 * Deletes what the app owned before and no longer declares, in reverse apply order. Only
 * objects that carry this app's tracking annotation are deleted: an object of the same name
 * that someone else created, or took over, is never touched.
 */
export async function prune(
  client: ClusterClient,
  app: string,
  leftovers: readonly ResourceRef[],
): Promise<PruneResult> {
  const result: PruneResult = { pruned: [], disowned: [], failed: [] };
  for (const ref of sortForPrune(leftovers)) {
    try {
      const live = await client.read(objectRefOf(ref));
      if (!live) continue; // already gone: nothing to do, nothing to remember
      if (!isTrackedBy(app, live as Parameters<typeof isTrackedBy>[1])) {
        result.disowned.push(ref);
        continue;
      }
      await client.delete(objectRefOf(ref));
      result.pruned.push(ref);
    } catch (error) {
      result.failed.push({ ref, message: `${describeRef(ref)}: ${messageOf(error)}` });
    }
  }
  return result;
}
