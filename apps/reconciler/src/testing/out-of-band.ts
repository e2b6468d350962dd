import { ClusterClient, type ObjectRef } from '@cairn/kube';

/**
 * Edits a live object as someone other than Cairn would: a JSON merge patch (or a strategic
 * one) under another field manager, which takes ownership of the fields it sets, as
 * `kubectl scale`, `kubectl label` or an HPA do.
 */
export async function patchAs(
  kube: ClusterClient,
  manager: string,
  ref: ObjectRef,
  patch: unknown,
  type: 'merge' | 'strategic' = 'merge',
): Promise<void> {
  const resource = await kube.resourceOf(ref.apiVersion, ref.kind);
  const path = `${ClusterClient.collectionPath(resource, ref.metadata.namespace)}/${ref.metadata.name}`;
  await kube.http.json('PATCH', path, {
    query: { fieldManager: manager },
    body: patch,
    contentType:
      type === 'merge' ? 'application/merge-patch+json' : 'application/strategic-merge-patch+json',
  });
}

export const deploymentRef = (name: string, namespace: string): ObjectRef => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace },
});

export const configMapRef = (name: string, namespace: string): ObjectRef => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace },
});
