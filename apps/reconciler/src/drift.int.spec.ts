import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { ensureBinaries } from '@cairn/cluster';
import { ClusterClient } from '@cairn/kube';
import { createTestNamespace, testInfra, uniqueName } from '@cairn/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configMap, deployment } from './testing/manifests';
import { configMapRef, deploymentRef, patchAs } from './testing/out-of-band';
import { ReconcilerHarness } from './testing/reconciler-harness';

const run = promisify(execFile);
type Deployment = { spec?: { replicas?: number }; status?: { readyReplicas?: number } };

describe('drift: out-of-band changes to what an app declares', () => {
  let harness: ReconcilerHarness;
  let kube: ClusterClient;
  let kubectlPath: string;
  const namespaces: Array<Awaited<ReturnType<typeof createTestNamespace>>> = [];

  const kubectl = (...args: string[]) =>
    run(kubectlPath, [`--kubeconfig=${testInfra().kubeconfigPath}`, ...args]);
  const replicas = async (ns: string) =>
    (await kube.read<Deployment>(deploymentRef('web', ns)))?.spec?.replicas;

  /** Given an app of this policy, synced and healthy with `web` at 2 replicas. */
  async function givenSyncedApp(name: string, selfHeal: boolean) {
    const ns = await createTestNamespace('drift');
    namespaces.push(ns);
    kube ??= new ClusterClient(ns.kubeconfig);
    const app = uniqueName(name);
    await harness.registerApp(app, { namespace: ns.name, automated: { prune: true, selfHeal } });
    const revision = await harness.publishBundle(app, [
      deployment('web', 2),
      configMap('settings', { color: 'blue' }),
    ]);
    await harness.untilStatus(
      app,
      'Synced and Healthy',
      (s) =>
        s.sync.revision === revision && s.sync.status === 'Synced' && s.health.status === 'Healthy',
    );
    return { app, ns: ns.name, revision };
  }

  beforeAll(async () => {
    kubectlPath = (await ensureBinaries()).kubectl;
    harness = await ReconcilerHarness.create(testInfra());
    await harness.startReconciler();
  });

  afterAll(async () => {
    await harness?.close();
    await Promise.all(namespaces.map((ns) => ns.delete()));
  });

  it('reverts `kubectl scale` on a self-heal app: back at the declared count, and Synced again', async () => {
    const { app, ns } = await givenSyncedApp('heal', true);
    const mark = harness.mark();

    await kubectl('scale', 'deploy', 'web', '--replicas=5', '-n', ns);

    const detected = await harness.untilEvent(
      app,
      'DriftDetected',
      (e) => e.type === 'DriftDetected',
      10_000,
      mark,
    );
    expect(detected.message).toContain(`Deployment ${ns}/web: spec.replicas`);
    const reverted = await harness.untilEvent(
      app,
      'DriftReverted',
      (e) => e.type === 'DriftReverted',
      10_000,
      mark,
    );
    expect(reverted.resources?.map((r) => r.name)).toEqual(['web']);
    await expect.poll(() => replicas(ns), { timeout: 10_000 }).toBe(2);
    const outOfSync = await harness.untilStatus(
      app,
      'OutOfSync',
      (s) => s.sync.status === 'OutOfSync',
      10_000,
      mark,
    );
    const healed = await harness.untilStatus(
      app,
      'Synced and Healthy again',
      (s) => s.sync.status === 'Synced' && s.health.status === 'Healthy',
      20_000,
      { statuses: harness.statuses.indexOf(outOfSync) + 1, events: 0 },
    );
    expect(healed.resources.find((r) => r.kind === 'Deployment')).toMatchObject({
      status: 'Synced',
    });
  });

  it('without self-heal, reports the app OutOfSync with a DriftDetected event naming spec.replicas', async () => {
    const { app, ns } = await givenSyncedApp('noheal', false);
    const mark = harness.mark();

    await kubectl('scale', 'deploy', 'web', '--replicas=5', '-n', ns);

    const status = await harness.untilStatus(
      app,
      'OutOfSync',
      (s) => s.sync.status === 'OutOfSync',
      10_000,
      mark,
    );
    expect(status.resources.find((r) => r.name === 'web')).toMatchObject({
      kind: 'Deployment',
      status: 'OutOfSync',
    });
    expect(status.resources.find((r) => r.name === 'settings')).toMatchObject({ status: 'Synced' });
    const detected = await harness.untilEvent(
      app,
      'DriftDetected',
      (e) => e.type === 'DriftDetected',
      10_000,
      mark,
    );
    expect(detected).toMatchObject({
      message: expect.stringContaining(`Deployment ${ns}/web: spec.replicas`),
      resources: [expect.objectContaining({ kind: 'Deployment', name: 'web' })],
    });
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(await replicas(ns)).toBe(5);
    expect(harness.since(app, mark).events.map((e) => e.type)).not.toContain('DriftReverted');
  });

  it('re-creates a deleted object on a self-heal app, and reports an edited one', async () => {
    const { app, ns } = await givenSyncedApp('deleted', true);
    const mark = harness.mark();

    await kubectl('delete', 'configmap', 'settings', '-n', ns);

    const detected = await harness.untilEvent(
      app,
      'DriftDetected',
      (e) => e.type === 'DriftDetected',
      10_000,
      mark,
    );
    expect(detected.message).toContain(`ConfigMap ${ns}/settings: deleted`);
    await expect
      .poll(async () => (await kube.read<{ data?: unknown }>(configMapRef('settings', ns)))?.data, {
        timeout: 10_000,
      })
      .toEqual({ color: 'blue' });

    const edited = harness.mark();
    await patchAs(kube, 'kubectl-edit', configMapRef('settings', ns), { data: { color: 'red' } });
    const again = await harness.untilEvent(
      app,
      'DriftDetected',
      (e) => e.type === 'DriftDetected',
      10_000,
      edited,
    );
    expect(again.message).toContain(`ConfigMap ${ns}/settings: data.color`);
    await expect
      .poll(async () => (await kube.read<{ data?: unknown }>(configMapRef('settings', ns)))?.data, {
        timeout: 10_000,
      })
      .toEqual({ color: 'blue' });
  });

  it('backs off instead of fighting another controller that keeps scaling', async () => {
    const { app, ns } = await givenSyncedApp('fight', true);
    const mark = harness.mark();

    // Another controller insists on 5 replicas, as fast as it can, for 7 seconds.
    const until = Date.now() + 7_000;
    let edits = 0;
    while (Date.now() < until) {
      if ((await replicas(ns)) !== 5) {
        await patchAs(kube, 'other-controller', deploymentRef('web', ns), {
          spec: { replicas: 5 },
        });
        edits++;
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }

    const reverts = harness.since(app, mark).events.filter((e) => e.type === 'DriftReverted');
    // Immediately, then after 1 s, 2 s and 4 s: never a tight loop.
    expect(reverts.length).toBeGreaterThanOrEqual(2);
    expect(reverts.length).toBeLessThanOrEqual(4);
    expect(edits).toBeLessThanOrEqual(reverts.length + 1);
  });

  it('announces every health change the cache sees, without calling it drift', async () => {
    const { app, ns } = await givenSyncedApp('health', false);
    const mark = harness.mark();

    // Pausing a rollout is not declared by the app: health changes, sync does not.
    await patchAs(kube, 'kubectl-rollout', deploymentRef('web', ns), { spec: { paused: true } });
    const suspended = await harness.untilEvent(
      app,
      'HealthChanged to Suspended',
      (e) => e.type === 'HealthChanged',
      10_000,
      mark,
    );
    expect(suspended.health?.status).toBe('Suspended');
    expect(suspended.message).toContain(`Deployment ${ns}/web`);

    const resumed = harness.mark();
    await patchAs(kube, 'kubectl-rollout', deploymentRef('web', ns), { spec: { paused: false } });
    const healthy = await harness.untilEvent(
      app,
      'HealthChanged back to Healthy',
      (e) => e.type === 'HealthChanged' && e.health?.status === 'Healthy',
      10_000,
      resumed,
    );
    expect(healthy.message).toMatch(/^health changed from (Suspended|Progressing) to Healthy/);
    const { statuses, events } = harness.since(app, mark);
    expect(statuses.map((s) => s.sync.status)).not.toContain('OutOfSync');
    expect(events.map((e) => e.type)).not.toContain('DriftDetected');
  });
});
