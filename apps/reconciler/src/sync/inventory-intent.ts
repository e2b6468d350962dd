import type { KubernetesObject } from '@cairn/manifests';
import type { WorkerContext } from '../workers/worker-context';
import { refKey, refOf } from './resource-refs';

/**
 * Before applying, adds to the app's recorded inventory the objects about to be applied
 * that it does not hold yet. A process killed mid-apply (SIGKILL, a lost node) records
 * nothing afterwards; with this, whoever syncs the app next (the restarted process, or the
 * replica that took its cluster over) still prunes what it had applied and is no longer
 * declared. Only the inventory is written: the recorded desired state and revision stay as
 * they were, so the interrupted message, delivered again, is not taken as done.
 */
export async function recordApplyIntent(
  ctx: Pick<WorkerContext, 'cluster' | 'states'>,
  app: string,
  objects: readonly KubernetesObject[],
): Promise<void> {
  const stored = await ctx.states.get(ctx.cluster, app);
  const known = new Set(stored.inventory.map(refKey));
  const added = objects.map(refOf).filter((ref) => !known.has(refKey(ref)));
  if (added.length === 0) return; // the usual case: a new revision of the same objects
  await ctx.states.put({ ...stored, inventory: [...stored.inventory, ...added] });
}
