import { ClusterClient } from '@cairn/kube';
import { createTestNamespace, testInfra, uniqueName } from '@cairn/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configMap } from './testing/manifests';
import { configMapRef } from './testing/out-of-band';
import { randomRevision, ReconcilerHarness } from './testing/reconciler-harness';

describe('rollback commands, as the api sends them for a kept history entry', () => {
  let harness: ReconcilerHarness;
  let kube: ClusterClient;
  const namespaces: Array<Awaited<ReturnType<typeof createTestNamespace>>> = [];

  beforeAll(async () => {
    harness = await ReconcilerHarness.create(testInfra());
    await harness.startReconciler();
  });

  afterAll(async () => {
    await harness?.close();
    await Promise.all(namespaces.map((ns) => ns.delete()));
  });

  /** Given an app synced at a revision declaring a and b, whose SyncSucceeded names its bundle. */
  async function givenSyncedApp() {
    const ns = await createTestNamespace('rollback');
    namespaces.push(ns);
    kube ??= new ClusterClient(ns.kubeconfig);
    const app = uniqueName('rollback');
    await harness.registerApp(app, { namespace: ns.name, automated: { prune: true } });
    const objects = [configMap('a', { v: '1' }), configMap('b', { v: '1' })];
    const revision = await harness.publishBundle(app, objects);
    const succeeded = await harness.untilEvent(
      app,
      'SyncSucceeded',
      (e) => e.type === 'SyncSucceeded' && e.revision === revision,
    );
    expect(succeeded.bundleDigest).toBe(await harness.storeBundle(app, objects));
    // Rolled back, an app has automated sync off: its registration no longer says prune.
    await harness.registerApp(app, { namespace: ns.name });
    return { app, ns: ns.name };
  }

  const rollback = async (app: string, prune?: boolean) => {
    const bundleDigest = await harness.storeBundle(app, [configMap('a', { v: '0' })]);
    const revision = randomRevision();
    await harness.publishCommand({
      v: 1,
      op: 'rollback',
      id: uniqueName('cmd'),
      app,
      initiatedBy: 'alice',
      requestedAt: new Date().toISOString(),
      historyId: 1,
      revision,
      bundleDigest,
      ...(prune !== undefined && { prune }),
    });
    return harness.untilStatus(app, 'rolled back', (s) => s.sync.revision === revision);
  };

  it('prunes by the policy the command carries, not the registration stripped of it', async () => {
    const { app, ns } = await givenSyncedApp();

    const status = await rollback(app, true);

    expect(status.resources.map((r) => r.name)).toEqual(['a']);
    await expect.poll(() => kube.read(configMapRef('b', ns))).toBeUndefined();
    expect((await kube.read<{ data?: unknown }>(configMapRef('a', ns)))?.data).toEqual({ v: '0' });
  });

  it('leaves what it no longer declares when the command carries no prune policy', async () => {
    const { app, ns } = await givenSyncedApp();

    const status = await rollback(app);

    expect(status.resources.find((r) => r.name === 'b')?.status).toBe('OutOfSync');
    expect(await kube.read(configMapRef('b', ns))).toBeDefined();
  });
});
