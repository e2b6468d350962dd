import type { ResourceRef } from '@cairn/contracts';
import type { ClusterClient, KubeObject } from '@cairn/kube';
import { type KubernetesObject, objectKey, sortForApply } from '@cairn/manifests';
import type { PreparedObjects } from './prepare-objects';
import { refOf } from './resource-refs';
import type { SecretMask } from './secret-mask';
import { isTransient, messageOf, SyncFailure } from './sync-failure';

/** How long a CRD applied by this sync may take before the API server serves its kind. */
const CRD_ESTABLISH_TIMEOUT_MS = 30_000;

/** Each object as declared, with the API server's answer to applying it. */
export interface AppliedResult {
  declared: KubernetesObject;
  result: KubeObject;
}

/**
 * Server-side applies the objects in dependency order (namespaces and CRDs first), keeping
 * each answer in `applied`: the baseline drift is measured against. Stops at the first
 * failure; what was applied before it is reported with the failure, so it joins the
 * inventory and can be pruned later.
 */
export async function applyObjects(
  client: ClusterClient,
  prepared: PreparedObjects,
  mask: SecretMask,
  applied: AppliedResult[] = [],
): Promise<AppliedResult[]> {
  const refs = (): ResourceRef[] => applied.map((a) => refOf(a.declared));
  for (const object of sortForApply(prepared.objects)) {
    try {
      if (prepared.awaitingCrd.has(objectKey(object))) await untilServed(client, object);
      applied.push({ declared: object, result: await client.apply<KubeObject>(object) });
    } catch (error) {
      throw new SyncFailure(
        'ApplyFailed',
        `applied ${applied.length} of ${prepared.objects.length} objects, then: ${mask.apply(messageOf(error))}`,
        refs(),
        isTransient(error),
      );
    }
  }
  return applied;
}

/** A CRD is accepted at once but served a moment later; its objects must wait for that. */
async function untilServed(client: ClusterClient, object: KubernetesObject): Promise<void> {
  const deadline = Date.now() + CRD_ESTABLISH_TIMEOUT_MS;
  for (;;) {
    try {
      await client.isNamespaced(object.apiVersion, object.kind);
      return;
    } catch (error) {
      if (Date.now() > deadline)
        throw new Error(
          `${object.kind} ${object.metadata.name}: its CustomResourceDefinition was applied, but the cluster still does not serve ${object.apiVersion} after ${CRD_ESTABLISH_TIMEOUT_MS / 1000} s (${messageOf(error)})`,
        );
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
}
