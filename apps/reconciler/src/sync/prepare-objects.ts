import { APP_LABEL, KubeApiError, TRACKING_ANNOTATION, trackingId } from '@cairn/kube';
import { apiGroup, type KubernetesObject, objectKey } from '@cairn/manifests';
import { SyncFailure } from './sync-failure';

export interface PrepareOptions {
  app: string;
  /** Where namespaced objects without a namespace go: the app's destination namespace. */
  namespace: string;
  /** ClusterClient.isNamespaced: throws a 404 KubeApiError for a kind the cluster does not serve. */
  isNamespaced: (apiVersion: string, kind: string) => Promise<boolean>;
}

export interface PreparedObjects {
  /** Copies of the bundle's objects, each with its namespace settled and Cairn's marks. */
  objects: KubernetesObject[];
  /** objectKeys of objects of kinds a CRD of the bundle defines and the cluster does not serve yet. */
  awaitingCrd: Set<string>;
}

/**
 * Turns what git declares into what Cairn applies: namespaced objects without a namespace
 * go to the destination namespace, cluster-scoped ones lose any namespace (so their tracking
 * id matches the live object), and each carries the tracking annotation (proof of ownership
 * for prune) and the app label. A kind the cluster does not serve fails the sync, unless a
 * CustomResourceDefinition in the same bundle defines it.
 */
export async function prepareObjects(
  declared: readonly KubernetesObject[],
  options: PrepareOptions,
): Promise<PreparedObjects> {
  const crdScopes = scopesDefinedByCrds(declared);
  const awaitingCrd = new Set<string>();
  const objects: KubernetesObject[] = [];
  for (const original of declared) {
    const object = structuredClone(original);
    let namespaced: boolean;
    try {
      namespaced = await options.isNamespaced(object.apiVersion, object.kind);
    } catch (error) {
      const scope = crdScopes.get(`${object.apiVersion}/${object.kind}`);
      if (!(error instanceof KubeApiError && error.statusCode === 404)) throw error;
      if (scope === undefined)
        throw new SyncFailure(
          'UnknownKind',
          `${object.kind} ${object.metadata.name}: the cluster does not serve ${object.kind} in ${object.apiVersion}, and the app declares no CustomResourceDefinition for it`,
        );
      namespaced = scope === 'Namespaced';
      awaitingCrd.add(objectKey(withNamespace(object, namespaced, options.namespace)));
    }
    withNamespace(object, namespaced, options.namespace);
    object.metadata.annotations = {
      ...object.metadata.annotations,
      [TRACKING_ANNOTATION]: trackingId(options.app, object),
    };
    object.metadata.labels = { ...object.metadata.labels, [APP_LABEL]: options.app };
    objects.push(object);
  }
  return { objects, awaitingCrd };
}

function withNamespace(object: KubernetesObject, namespaced: boolean, fallback: string) {
  if (namespaced) object.metadata.namespace ??= fallback;
  else delete object.metadata.namespace;
  return object;
}

/** `<group>/<version>/<Kind>` → scope, for every version of every CRD in the bundle. */
function scopesDefinedByCrds(objects: readonly KubernetesObject[]): Map<string, string> {
  const scopes = new Map<string, string>();
  for (const object of objects) {
    if (
      object.kind !== 'CustomResourceDefinition' ||
      apiGroup(object.apiVersion) !== 'apiextensions.k8s.io'
    )
      continue;
    const spec = object.spec as
      | {
          group?: string;
          scope?: string;
          names?: { kind?: string };
          versions?: { name?: string }[];
        }
      | undefined;
    for (const version of spec?.versions ?? [])
      scopes.set(
        `${spec?.group}/${version.name}/${spec?.names?.kind}`,
        spec?.scope ?? 'Namespaced',
      );
  }
  return scopes;
}
