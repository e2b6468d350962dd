import { ClusterClient } from '@cairn/kube';
import { createTestNamespace, testInfra, uniqueName } from '@cairn/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clusterRole, configMap, deployment } from './testing/manifests';
import { DeleteGuard } from './testing/delete-guard';
import { configMapRef, deploymentRef } from './testing/out-of-band';
import { ReconcilerHarness } from './testing/reconciler-harness';

type Deployment = { status?: { readyReplicas?: number } };

describe('prune: what an app no longer declares', () => {
  let harness: ReconcilerHarness;
  let kube: ClusterClient;
  const namespaces: Array<Awaited<ReturnType<typeof createTestNamespace>>> = [];

  async function namespace(): Promise<string> {
    const ns = await createTestNamespace('prune');
    namespaces.push(ns);
    kube ??= new ClusterClient(ns.kubeconfig);
    return ns.name;
  }

  beforeAll(async () => {
    harness = await ReconcilerHarness.create(testInfra());
    // A short safety resync, so that a prune retried at the resync is seen within the test.
    await harness.startReconciler({ CAIRN_RESYNC_SECONDS: '2' });
  });

  afterAll(async () => {
    await harness?.close();
    await Promise.all(namespaces.map((ns) => ns.delete()));
  });

  it('with PruneLast=true, deletes the leftovers only once everything applied is healthy', async () => {
    const ns = await namespace();
    const app = uniqueName('last');
    await harness.registerApp(app, {
      namespace: ns,
      automated: { prune: true },
      syncOptions: ['PruneLast=true'],
    });
    const first = await harness.publishBundle(app, [configMap('old', { a: '1' })]);
    await harness.untilStatus(
      app,
      'Synced',
      (s) => s.sync.revision === first && s.sync.status === 'Synced',
    );

    const second = await harness.publishBundle(app, [deployment('web', 3)]);

    // The moment "old" is gone, the new Deployment already has every replica ready.
    let readyWhenPruned: number | undefined;
    const deadline = Date.now() + 30_000;
    while (readyWhenPruned === undefined && Date.now() < deadline) {
      if (!(await kube.read(configMapRef('old', ns))))
        readyWhenPruned =
          (await kube.read<Deployment>(deploymentRef('web', ns)))?.status?.readyReplicas ?? 0;
      else await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(readyWhenPruned).toBe(3);
    const waiting = await harness.untilStatus(app, 'waiting to prune', (s) =>
      Boolean(s.operationState?.message?.includes('PruneLast=true')),
    );
    expect(waiting.operationState?.phase).toBe('Running');
    const done = await harness.untilStatus(
      app,
      'Synced at the second revision',
      (s) => s.sync.revision === second && s.sync.status === 'Synced',
    );
    expect(done.resources.map((r) => r.name)).toEqual(['web']);
    const pruned = await harness.untilEvent(app, 'Pruned', (e) => e.type === 'Pruned');
    expect(pruned.resources?.map((r) => r.name)).toEqual(['old']);
  });

  it('prunes a cluster-scoped object the app no longer declares', async () => {
    const ns = await namespace();
    const app = uniqueName('scoped');
    const role = uniqueName('cairn-test-reader');
    await harness.registerApp(app, { namespace: ns, automated: { prune: true } });
    const first = await harness.publishBundle(app, [
      clusterRole(role),
      configMap('kept', { a: '1' }),
    ]);
    await harness.untilStatus(
      app,
      'Synced',
      (s) => s.sync.revision === first && s.sync.status === 'Synced',
    );
    const roleRef = {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: role },
    };
    expect(await kube.read(roleRef)).toBeDefined();

    const second = await harness.publishBundle(app, [configMap('kept', { a: '1' })]);

    await harness.untilStatus(
      app,
      'Synced again',
      (s) => s.sync.revision === second && s.sync.status === 'Synced',
    );
    const pruned = await harness.untilEvent(app, 'Pruned', (e) => e.type === 'Pruned');
    expect(pruned.resources).toEqual([
      { group: 'rbac.authorization.k8s.io', version: 'v1', kind: 'ClusterRole', name: role },
    ]);
    await expect.poll(() => kube.read(roleRef)).toBeUndefined();
  });

  it('with prune off, reports what it would delete and deletes nothing', async () => {
    const ns = await namespace();
    const app = uniqueName('keep');
    await harness.registerApp(app, { namespace: ns, automated: { prune: false } });
    const first = await harness.publishBundle(app, [
      configMap('a', { v: '1' }),
      configMap('b', { v: '1' }),
    ]);
    await harness.untilStatus(
      app,
      'Synced',
      (s) => s.sync.revision === first && s.sync.status === 'Synced',
    );

    const second = await harness.publishBundle(app, [configMap('a', { v: '1' })]);

    const status = await harness.untilStatus(
      app,
      'synced, b left',
      (s) => s.sync.revision === second && s.operationState?.phase === 'Succeeded',
    );
    expect(status.sync.status).toBe('OutOfSync');
    expect(status.resources.find((r) => r.name === 'b')?.status).toBe('OutOfSync');
    expect(status.operationState?.message).toContain(
      `1 require pruning (prune is off): ConfigMap ${ns}/b`,
    );
    expect(await kube.read(configMapRef('b', ns))).toBeDefined();
  });

  it('keeps an object whose delete failed in the inventory, and deletes it at a later resync', async () => {
    const ns = await namespace();
    const app = uniqueName('retry');
    const guard = await DeleteGuard.install(kube, uniqueName('cairn-test-undeletable'));
    try {
      await harness.registerApp(app, { namespace: ns, automated: { prune: true } });
      const stuck = configMap('stuck', { a: '1' });
      stuck.metadata.labels = guard.label;
      const first = await harness.publishBundle(app, [stuck, configMap('kept', { a: '1' })]);
      await harness.untilStatus(
        app,
        'Synced',
        (s) => s.sync.revision === first && s.sync.status === 'Synced',
      );
      await guard.untilEnforced(ns);

      const second = await harness.publishBundle(app, [configMap('kept', { a: '1' })]);

      const failed = await harness.untilEvent(app, 'PruneFailed', (e) => e.type === 'PruneFailed');
      expect(failed.message).toContain(`ConfigMap ${ns}/stuck`);
      const status = await harness.untilStatus(
        app,
        'synced, stuck left',
        (s) => s.sync.revision === second && s.operationState?.phase === 'Succeeded',
      );
      expect(status.sync.status).toBe('OutOfSync');
      expect(status.resources.find((r) => r.name === 'stuck')?.status).toBe('OutOfSync');
      expect(await kube.read(configMapRef('stuck', ns))).toBeDefined();

      await guard.remove();

      const pruned = await harness.untilEvent(
        app,
        'Pruned at a resync',
        (e) => e.type === 'Pruned',
        20_000,
      );
      expect(pruned.resources?.map((r) => r.name)).toEqual(['stuck']);
      await expect
        .poll(() => kube.read(configMapRef('stuck', ns)), { timeout: 10_000 })
        .toBeUndefined();
      await harness.untilStatus(
        app,
        'Synced',
        (s) => s.sync.status === 'Synced' && s.resources.length === 1,
        10_000,
      );
    } finally {
      await guard.remove();
    }
  });
});
