import { createTestNamespace, testInfra, uniqueName } from '@cairn/testing';
import { ClusterClient } from '@cairn/kube';
import { jetstreamManager } from '@nats-io/jetstream';
import { CoreV1Api, type V1ConfigMap } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configMap } from './testing/manifests';
import { ReconcilerHarness } from './testing/reconciler-harness';

describe('reconciler across a restart', () => {
  let harness: ReconcilerHarness;
  let ns: Awaited<ReturnType<typeof createTestNamespace>>;

  beforeAll(async () => {
    harness = await ReconcilerHarness.create(testInfra());
    ns = await createTestNamespace('rec-restart');
  });

  afterAll(async () => {
    await harness?.close();
    await ns?.delete();
  });

  it('neither re-applies a synced revision nor forgets what to prune', async () => {
    const kube = new ClusterClient(ns.kubeconfig);
    const read = (name: string) =>
      kube.read<V1ConfigMap>({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name, namespace: ns.name },
      });
    const app = uniqueName('restart');
    await harness.registerApp(app, { namespace: ns.name, automated: { prune: true } });
    await harness.startReconciler();
    const first = await harness.publishBundle(app, [configMap('settings', { color: 'blue' })]);
    await harness.untilStatus(
      app,
      'Synced',
      (s) => s.sync.revision === first && s.sync.status === 'Synced',
    );

    // Someone edits the live object; re-applying the revision would undo the edit.
    const live = (await read('settings')) as V1ConfigMap;
    await ns.kubeconfig.makeApiClient(CoreV1Api).replaceNamespacedConfigMap({
      name: 'settings',
      namespace: ns.name,
      body: { ...live, data: { color: 'red' } },
    });
    const drift = await harness.untilEvent(app, 'DriftDetected', (e) => e.type === 'DriftDetected');
    expect(drift.message).toContain(`ConfigMap ${ns.name}/settings: data.color`);
    await harness.stopReconciler();
    const eventsBefore = harness.events.length;
    const statusesBefore = harness.statuses.length;

    // The restarted worker's consumer starts from scratch, so every desired state comes again.
    const consumer = `reconciler-desired-${harness.cluster}`;
    const jsm = await jetstreamManager(harness.nc);
    await jsm.consumers.delete(harness.topology.streams.desired(), consumer);
    await harness.startReconciler();
    await expect
      .poll(
        async () => {
          const info = await jsm.consumers.info(harness.topology.streams.desired(), consumer);
          return info.num_pending + info.num_ack_pending;
        },
        { timeout: 15_000 },
      )
      .toBe(0);

    expect((await read('settings'))?.data).toEqual({ color: 'red' });
    // The drift is still known after the restart (its baseline rebuilt from git, not taken
    // from the drifted object), and not announced twice.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const after = harness.statuses.slice(statusesBefore).filter((s) => s.app === app);
    expect(after.map((s) => s.sync.status)).not.toContain('Synced');
    expect(harness.latestStatus(app)?.sync.status).toBe('OutOfSync');
    expect(harness.events.slice(eventsBefore).filter((e) => e.app === app)).toEqual([]);

    // The inventory survived the restart: the next revision prunes what it no longer declares.
    const second = await harness.publishBundle(app, [configMap('other', { a: 'b' })]);
    await harness.untilStatus(
      app,
      'Synced at the second revision',
      (s) => s.sync.revision === second && s.sync.status === 'Synced',
    );
    expect(await read('settings')).toBeUndefined();
    expect((await read('other'))?.data).toEqual({ a: 'b' });
  });
});
