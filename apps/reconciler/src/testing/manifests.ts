import type { KubernetesObject } from '@cairn/manifests';

/** Small manifests for the reconciler's integration tests, as an app's git folder holds them. */

export function configMap(
  name: string,
  data: Record<string, string>,
  namespace?: string,
): KubernetesObject {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, ...(namespace && { namespace }) },
    data,
  };
}

export function deployment(name: string, replicas: number | string): KubernetesObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name, image: 'nginx:1.27' }] },
      },
    },
  };
}

export function secret(name: string, stringData: Record<string, string>): KubernetesObject {
  return { apiVersion: 'v1', kind: 'Secret', metadata: { name }, type: 'Opaque', stringData };
}

export function clusterRole(name: string): KubernetesObject {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: { name },
    rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get'] }],
  };
}

/** A Deployment that declares no replicas: whoever scales it (an HPA, kubectl) owns them. */
export function unscaledDeployment(name: string): KubernetesObject {
  const object = deployment(name, 1);
  delete (object.spec as { replicas?: unknown }).replicas;
  return object;
}
