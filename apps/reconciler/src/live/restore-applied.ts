import type { ApplicationSpec } from '@cairn/contracts';
import { isConnectionError, type KubeObject } from '@cairn/kube';
import type { KubernetesObject } from '@cairn/manifests';
import { prepareObjects } from '../sync/prepare-objects';
import { describeRef, refOf } from '../sync/resource-refs';
import { SecretMask } from '../sync/secret-mask';
import { messageOf } from '../sync/sync-failure';
import type { LastSynced } from '../sync-state/sync-state';
import type { WorkerContext } from '../workers/worker-context';
import type { AppliedObject, AppliedRevision } from './applied-objects';

const PARALLEL_DRY_RUNS = 4;

/**
 * Rebuilds an app's baseline when this process has none (it started after the sync): the
 * last synced bundle, prepared as the sync did, and dry-run applied, which answers what
 * applying it would make of each object: Cairn's fields as declared, defaulted and
 * normalised. So drift that happened while no reconciler ran is still seen. An object that
 * cannot be dry-run keeps only its presence as a baseline.
 */
export async function restoreApplied(
  ctx: WorkerContext,
  app: string,
  spec: ApplicationSpec,
  lastSynced: LastSynced,
): Promise<AppliedRevision> {
  const bundle = await ctx.bundles.get(lastSynced.bundleDigest);
  const mask = SecretMask.of(bundle.objects);
  const prepared = await prepareObjects(bundle.objects, {
    app,
    namespace: spec.destination.namespace ?? 'default',
    isNamespaced: (apiVersion, kind) => ctx.client.isNamespaced(apiVersion, kind),
  });
  const objects: Array<Omit<AppliedObject, 'ref'>> = [];
  const failed: string[] = [];
  let next = 0;
  const lane = async () => {
    while (next < prepared.objects.length) {
      const declared = prepared.objects[next++];
      objects.push({ declared, result: await dryRun(declared, failed, mask), persisted: false });
    }
  };
  await Promise.all(Array.from({ length: PARALLEL_DRY_RUNS }, lane));
  if (failed.length > 0)
    ctx.logger.warn({
      msg: 'baseline rebuilt without some objects: only their presence is compared until the next sync',
      app,
      cluster: ctx.cluster,
      errors: failed,
    });
  ctx.applied.remember(app, lastSynced, objects);
  return ctx.applied.get(app) as AppliedRevision;

  async function dryRun(declared: KubernetesObject, errors: string[], secrets: SecretMask) {
    try {
      return await ctx.client.apply<KubeObject>(declared, { dryRun: true });
    } catch (error) {
      // No answer says nothing about the object: rebuild the whole baseline once the cluster is back.
      if (isConnectionError(error)) throw error;
      errors.push(`${describeRef(refOf(declared))}: ${secrets.apply(messageOf(error))}`);
      return declared as KubeObject;
    }
  }
}
