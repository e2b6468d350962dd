import { createTestNamespace, uniqueName } from '@cairn/testing';
import { CoreV1Api } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClusterClient } from './cluster-client';
import { type CacheEvent, LiveStateCache } from './live-state-cache';
import { APP_LABEL } from './tracking';

describe('LiveStateCache against a real API server', () => {
  let ns: Awaited<ReturnType<typeof createTestNamespace>>;
  let other: Awaited<ReturnType<typeof createTestNamespace>>;
  let client: ClusterClient;
  let cache: LiveStateCache;
  const events: CacheEvent[] = [];
  const configMap = (name: string, namespace: string, labelled = true, data = { a: '1' }) => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, namespace, ...(labelled && { labels: { [APP_LABEL]: 'shop' } }) },
    data,
  });
  const seen = (type: string, name: string) =>
    expect
      .poll(() => events.some((e) => e.type === type && e.object.metadata.name === name), {
        timeout: 10_000,
      })
      .toBe(true);

  beforeAll(async () => {
    [ns, other] = await Promise.all([createTestNamespace('cache'), createTestNamespace('cache')]);
    client = new ClusterClient(ns.kubeconfig);
    await client.apply(configMap('before', ns.name));
    cache = new LiveStateCache(client, { labelSelector: APP_LABEL });
    cache.onChange((event) => events.push(event));
  });
  afterAll(async () => {
    cache?.stop();
    await Promise.all([ns?.delete(), other?.delete()]);
  });

  it('lists what is there when a kind is first watched, with its kind', async () => {
    await cache.ensure([{ apiVersion: 'v1', kind: 'ConfigMap' }]);
    const ref = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'before', namespace: ns.name },
    };
    expect(cache.get(ref)).toMatchObject({ kind: 'ConfigMap', data: { a: '1' } });
    expect(cache.isWatched({ apiVersion: 'v1', kind: 'ConfigMap' })).toBe(true);
  });

  it('follows labelled objects of every namespace through one watch, and nothing unlabelled', async () => {
    await client.apply(configMap('web', ns.name));
    await client.apply(configMap('web', other.name, true, { a: 'elsewhere' }));
    await client.apply(configMap('stranger', ns.name, false));
    await seen('ADDED', 'web');
    await expect
      .poll(
        () =>
          cache.get({
            apiVersion: 'v1',
            kind: 'ConfigMap',
            metadata: { name: 'web', namespace: other.name },
          })?.data,
      )
      .toEqual({ a: 'elsewhere' });

    await client.apply(configMap('web', ns.name, true, { a: '2' }));
    await seen('MODIFIED', 'web');
    await ns.kubeconfig
      .makeApiClient(CoreV1Api)
      .deleteNamespacedConfigMap({ name: 'web', namespace: ns.name });
    await seen('DELETED', 'web');

    expect(
      cache.get({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'web', namespace: ns.name },
      }),
    ).toBeUndefined();
    expect(events.some((e) => e.object.metadata.name === 'stranger')).toBe(false);
  });

  it('watches a cluster-scoped kind too', async () => {
    const name = uniqueName('cache-reader');
    await cache.ensure([{ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole' }]);
    const role = {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name, labels: { [APP_LABEL]: 'shop' } },
      rules: [],
    };
    await client.apply(role);
    try {
      await seen('ADDED', name);
      expect(cache.get(role)?.metadata.uid).toBeDefined();
    } finally {
      await client.delete(role);
    }
  });

  it('names a kind it cannot watch, and tries it afresh next time', async () => {
    await expect(cache.ensure([{ apiVersion: 'example.com/v1', kind: 'Widget' }])).rejects.toThrow(
      'the cluster does not serve Widget in example.com/v1',
    );
  });
});
