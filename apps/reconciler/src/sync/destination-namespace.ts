import type { ClusterClient } from '@cairn/kube';
import { messageOf, isTransient, SyncFailure } from './sync-failure';

/**
 * CreateNamespace=true: creates the destination namespace when it is missing, as Argo CD
 * does. It carries no tracking annotation, so pruning or deleting the app never removes a
 * namespace that may hold more than this app.
 */
export async function ensureDestinationNamespace(
  client: ClusterClient,
  name: string | undefined,
): Promise<void> {
  if (!name) return;
  const ref = { apiVersion: 'v1', kind: 'Namespace', metadata: { name } };
  try {
    if (!(await client.read(ref))) await client.apply(ref);
  } catch (error) {
    throw new SyncFailure(
      'NamespaceFailed',
      `cannot create the destination namespace ${name} (CreateNamespace=true): ${messageOf(error)}`,
      [],
      isTransient(error),
    );
  }
}
