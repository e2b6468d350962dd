import type { ResourceRef } from '@cairn/contracts';
import type { ObjectRef } from '@cairn/kube';
import { apiGroup, type KubernetesObject, objectKey } from '@cairn/manifests';

/**
 * Inventory entries are the contract's ResourceRef (group, version, kind, namespace, name);
 * the cluster client speaks apiVersion/kind/metadata. These convert between the two.
 */

export function refOf(
  object: Pick<KubernetesObject, 'apiVersion' | 'kind' | 'metadata'>,
): ResourceRef {
  const slash = object.apiVersion.indexOf('/');
  return {
    group: apiGroup(object.apiVersion),
    version: slash === -1 ? object.apiVersion : object.apiVersion.slice(slash + 1),
    kind: object.kind,
    ...(object.metadata.namespace ? { namespace: object.metadata.namespace } : {}),
    name: object.metadata.name,
  };
}

export function objectRefOf(ref: ResourceRef): ObjectRef {
  return {
    apiVersion: ref.group ? `${ref.group}/${ref.version}` : ref.version,
    kind: ref.kind,
    metadata: { name: ref.name, ...(ref.namespace ? { namespace: ref.namespace } : {}) },
  };
}

/** Identity regardless of version, as objectKey: a Deployment moved from v1beta1 to v1 is one object. */
export function refKey(ref: ResourceRef): string {
  return objectKey(objectRefOf(ref));
}

/** `Deployment shop/web`, `ClusterRole reader`: how people name an object in messages. */
export function describeRef(ref: ResourceRef): string {
  return `${ref.kind} ${ref.namespace ? `${ref.namespace}/` : ''}${ref.name}`;
}

/** `Deployment shop/web, ConfigMap shop/settings and 3 more` */
export function describeRefs(refs: readonly ResourceRef[], max = 5): string {
  const shown = refs.slice(0, max).map(describeRef).join(', ');
  return refs.length > max ? `${shown} and ${refs.length - max} more` : shown;
}
