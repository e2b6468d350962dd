import type { V1ConfigMap, V1Deployment } from '@kubernetes/client-node';
import { createTestNamespace } from '@cairn/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClusterClient, FIELD_MANAGER } from './cluster-client';

describe('ClusterClient against a real API server', () => {
  let ns: Awaited<ReturnType<typeof createTestNamespace>>;
  let cluster: ClusterClient;
  const configMap = (name: string, data: Record<string, string>) => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, namespace: ns.name },
    data,
  });

  beforeAll(async () => {
    ns = await createTestNamespace('kube');
    cluster = new ClusterClient(ns.kubeconfig);
  });
  afterAll(() => ns?.delete());

  it('server-side applies a ConfigMap as the cairn field manager and reads it back', async () => {
    await cluster.apply(configMap('settings', { greeting: 'hello' }));

    const live = await cluster.read<V1ConfigMap>(configMap('settings', {}));
    expect(live?.data).toEqual({ greeting: 'hello' });
    expect(live?.metadata?.managedFields?.map((f) => [f.manager, f.operation])).toContainEqual([
      FIELD_MANAGER,
      'Apply',
    ]);
  });

  it('applies a Deployment whose pods become ready on the kwok node', async () => {
    const deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: ns.name },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: 'web' } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] },
        },
      },
    };
    await cluster.apply(deployment);

    let ready = 0;
    for (let i = 0; i < 100 && ready < 2; i++) {
      ready = (await cluster.read<V1Deployment>(deployment))?.status?.readyReplicas ?? 0;
      if (ready < 2) await new Promise((r) => setTimeout(r, 300));
    }
    expect(ready).toBe(2);
  });

  it('a dry run validates without persisting, and an invalid field is rejected naming it', async () => {
    const dry = await cluster.apply(configMap('dry', { a: 'b' }), { dryRun: true });
    expect(dry.metadata?.name).toBe('dry');
    expect(await cluster.read(configMap('dry', {}))).toBeUndefined();

    const invalid = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'broken', namespace: ns.name },
      spec: {
        replicas: 'three',
        selector: { matchLabels: { app: 'x' } },
        template: {
          metadata: { labels: { app: 'x' } },
          spec: { containers: [{ name: 'x', image: 'x' }] },
        },
      },
    };
    await expect(cluster.apply(invalid, { dryRun: true })).rejects.toThrow(
      /^Deployment .*\/broken: .*replicas/,
    );
  });

  it('knows which kinds are namespaced, and says so when a kind is unknown', async () => {
    expect(await cluster.isNamespaced('v1', 'ConfigMap')).toBe(true);
    expect(await cluster.isNamespaced('v1', 'Namespace')).toBe(false);
    expect(await cluster.isNamespaced('rbac.authorization.k8s.io/v1', 'ClusterRole')).toBe(false);
    await expect(cluster.isNamespaced('example.com/v1', 'Widget')).rejects.toThrow(
      'the cluster does not serve Widget in example.com/v1',
    );
  });

  it('deletes, and deleting what is gone is not an error', async () => {
    await cluster.apply(configMap('doomed', { a: 'b' }));
    await cluster.delete(configMap('doomed', {}));
    await cluster.delete(configMap('doomed', {}));
    expect(await cluster.read(configMap('doomed', {}))).toBeUndefined();
  });

  it('deletes only the very object it saw when given its uid: a recreated one survives', async () => {
    const first = await cluster.apply(configMap('recreated', { v: '1' }));
    await cluster.delete(configMap('recreated', {}));
    await cluster.apply(configMap('recreated', { v: '2' }));

    await expect(
      cluster.delete(configMap('recreated', {}), { uid: first.metadata.uid }),
    ).rejects.toMatchObject({ statusCode: 409 });
    expect((await cluster.read<V1ConfigMap>(configMap('recreated', {})))?.data).toEqual({ v: '2' });
  });
});
