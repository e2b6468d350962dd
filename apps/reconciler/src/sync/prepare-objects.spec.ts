import { KubeApiError, TRACKING_ANNOTATION } from '@cairn/kube';
import type { KubernetesObject } from '@cairn/manifests';
import { describe, expect, it } from 'vitest';
import { prepareObjects } from './prepare-objects';

/** What discovery would answer for the kinds these tests use. */
const SERVED: Record<string, boolean> = {
  'v1/ConfigMap': true,
  'v1/Namespace': false,
  'apps/v1/Deployment': true,
  'rbac.authorization.k8s.io/v1/ClusterRole': false,
  'apiextensions.k8s.io/v1/CustomResourceDefinition': false,
};
const isNamespaced = async (apiVersion: string, kind: string) => {
  const namespaced = SERVED[`${apiVersion}/${kind}`];
  if (namespaced === undefined)
    throw new KubeApiError(404, `the cluster does not serve ${kind} in ${apiVersion}`);
  return namespaced;
};
const options = { app: 'web', namespace: 'shop', isNamespaced };

const object = (apiVersion: string, kind: string, name: string, namespace?: string) =>
  ({ apiVersion, kind, metadata: { name, ...(namespace && { namespace }) } }) as KubernetesObject;

describe('prepareObjects', () => {
  it('puts namespaced objects without a namespace in the destination namespace', async () => {
    const { objects } = await prepareObjects(
      [object('v1', 'ConfigMap', 'a'), object('v1', 'ConfigMap', 'b', 'other')],
      options,
    );
    expect(objects.map((o) => o.metadata.namespace)).toEqual(['shop', 'other']);
  });

  it('drops the namespace of cluster-scoped objects, so the tracking id matches the live object', async () => {
    const { objects } = await prepareObjects(
      [object('rbac.authorization.k8s.io/v1', 'ClusterRole', 'reader', 'shop')],
      options,
    );
    expect(objects[0].metadata.namespace).toBeUndefined();
    expect(objects[0].metadata.annotations?.[TRACKING_ANNOTATION]).toBe(
      'web:rbac.authorization.k8s.io/ClusterRole:/reader',
    );
  });

  it('marks each object with the tracking annotation and app label, keeping its own, without touching the bundle', async () => {
    const declared = object('apps/v1', 'Deployment', 'web');
    declared.metadata.labels = { tier: 'front' };
    const { objects } = await prepareObjects([declared], options);
    expect(objects[0].metadata).toMatchObject({
      labels: { tier: 'front', 'cairn.dev/app': 'web' },
      annotations: { [TRACKING_ANNOTATION]: 'web:apps/Deployment:shop/web' },
    });
    expect(declared.metadata.namespace).toBeUndefined();
  });

  it('fails on a kind the cluster does not serve, naming it', async () => {
    await expect(
      prepareObjects([object('example.com/v1', 'Widget', 'w')], options),
    ).rejects.toMatchObject({
      reason: 'UnknownKind',
      message:
        'Widget w: the cluster does not serve Widget in example.com/v1, and the app declares no CustomResourceDefinition for it',
    });
  });

  it('accepts a kind whose CustomResourceDefinition is in the bundle, with the CRD scope', async () => {
    const crd = {
      ...object('apiextensions.k8s.io/v1', 'CustomResourceDefinition', 'widgets.example.com'),
      spec: {
        group: 'example.com',
        scope: 'Namespaced',
        names: { kind: 'Widget', plural: 'widgets' },
        versions: [{ name: 'v1' }],
      },
    };
    const { objects, awaitingCrd } = await prepareObjects(
      [crd, object('example.com/v1', 'Widget', 'w')],
      options,
    );
    expect(objects[1].metadata.namespace).toBe('shop');
    expect([...awaitingCrd]).toEqual(['example.com/Widget/shop/w']);
  });
});
