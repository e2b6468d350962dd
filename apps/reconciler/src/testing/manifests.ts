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
