import type { V1ConfigMap, V1Deployment } from '@kubernetes/client-node';
import { AppsV1Api } from '@kubernetes/client-node';
import { createTestNamespace } from '@cairn/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIELD_MANAGER, readObject, serverSideApply } from './server-side-apply';

describe('server-side apply against a real API server', () => {
  let ns: Awaited<ReturnType<typeof createTestNamespace>>;
  beforeAll(async () => {
    ns = await createTestNamespace('ssa');
  });
  afterAll(() => ns?.delete());

  it('applies a ConfigMap as the cairn field manager and reads it back', async () => {
    await serverSideApply(ns.kubeconfig, {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'settings', namespace: ns.name },
      data: { greeting: 'hello' },
    });

    const live = await readObject<V1ConfigMap>(ns.kubeconfig, {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'settings', namespace: ns.name },
    });
    expect(live.data).toEqual({ greeting: 'hello' });
    expect(live.metadata?.managedFields?.map((f) => [f.manager, f.operation])).toContainEqual([
      FIELD_MANAGER,
      'Apply',
    ]);
  });

  it('applies a Deployment whose pods become ready on the kwok node', async () => {
    const deployment: V1Deployment = {
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
    await serverSideApply(ns.kubeconfig, deployment);

    const apps = ns.kubeconfig.makeApiClient(AppsV1Api);
    let ready = 0;
    for (let i = 0; i < 100 && ready < 2; i++) {
      ready =
        (await apps.readNamespacedDeployment({ name: 'web', namespace: ns.name })).status
          ?.readyReplicas ?? 0;
      if (ready < 2) await new Promise((r) => setTimeout(r, 300));
    }
    expect(ready).toBe(2);
  });

  it('a dry run validates without persisting, and rejects an invalid field', async () => {
    const dry = await serverSideApply(
      ns.kubeconfig,
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'dry', namespace: ns.name },
        data: { a: 'b' },
      },
      { dryRun: true },
    );
    expect(dry.metadata?.name).toBe('dry');
    await expect(
      readObject(ns.kubeconfig, {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'dry', namespace: ns.name },
      }),
    ).rejects.toThrow(/404|not found/i);

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
    await expect(serverSideApply(ns.kubeconfig, invalid, { dryRun: true })).rejects.toThrow(
      /replicas/,
    );
  });
});
