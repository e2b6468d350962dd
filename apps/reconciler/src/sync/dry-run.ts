import { type ClusterClient, KubeApiError } from '@cairn/kube';
import { type KubernetesObject, objectKey } from '@cairn/manifests';
import type { PreparedObjects } from './prepare-objects';
import type { SecretMask } from './secret-mask';
import { isTransient, messageOf, SyncFailure } from './sync-failure';

/** Dry runs in flight at once: quick for big bundles, gentle on the API server. */
const PARALLEL_DRY_RUNS = 4;

/**
 * Validates the whole bundle with a server-side dry run: admission, schema and field
 * ownership, exactly as a real apply would meet them. Any failure fails the sync before
 * anything is applied, and the message names every failing object with the API server's
 * own words. Two kinds of objects cannot be checked before the apply and are left to it:
 * kinds whose CRD is in the bundle and not served yet, and objects in a namespace the
 * bundle creates.
 */
export async function dryRunAll(
  client: ClusterClient,
  prepared: PreparedObjects,
  mask: SecretMask,
): Promise<void> {
  const declaredNamespaces = new Set(
    prepared.objects.filter((o) => o.kind === 'Namespace').map((o) => o.metadata.name),
  );
  const checkable = prepared.objects.filter((o) => !prepared.awaitingCrd.has(objectKey(o)));
  const failures: string[] = [];
  let transient: unknown;
  await forEachLimited(checkable, PARALLEL_DRY_RUNS, async (object) => {
    try {
      await client.apply(object, { dryRun: true });
    } catch (error) {
      if (inNamespaceToBeCreated(error, object, declaredNamespaces)) return;
      if (isTransient(error)) transient ??= error;
      else failures.push(mask.apply(messageOf(error)));
    }
  });
  if (failures.length > 0)
    throw new SyncFailure(
      'DryRunFailed',
      `dry run failed for ${failures.length} of ${prepared.objects.length} objects, nothing was applied: ${failures.join('; ')}`,
    );
  if (transient)
    throw new SyncFailure(
      'DryRunFailed',
      `dry run could not complete: ${mask.apply(messageOf(transient))}`,
      [],
      true,
    );
}

function inNamespaceToBeCreated(error: unknown, object: KubernetesObject, declared: Set<string>) {
  const namespace = object.metadata.namespace;
  return (
    error instanceof KubeApiError &&
    error.statusCode === 404 &&
    namespace !== undefined &&
    declared.has(namespace)
  );
}

async function forEachLimited<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
) {
  let next = 0;
  const lane = async () => {
    while (next < items.length) await work(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
}
