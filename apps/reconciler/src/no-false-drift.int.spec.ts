import { ClusterClient } from '@cairn/kube';
import { createTestNamespace, testInfra, uniqueName } from '@cairn/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configMap, unscaledDeployment } from './testing/manifests';
import { configMapRef, deploymentRef, patchAs } from './testing/out-of-band';
import { ReconcilerHarness } from './testing/reconciler-harness';

const EDITS = 100;

describe('no false drift: changes to what Cairn does not declare', () => {
  let harness: ReconcilerHarness;
  let ns: Awaited<ReturnType<typeof createTestNamespace>>;

  beforeAll(async () => {
    harness = await ReconcilerHarness.create(testInfra());
    ns = await createTestNamespace('nodrift');
    await harness.startReconciler();
  });

  afterAll(async () => {
    await harness?.close();
    await ns?.delete();
  });

  it(`never turns an app OutOfSync over ${EDITS} scales, labels and annotations by other managers`, async () => {
    const kube = new ClusterClient(ns.kubeconfig);
    const app = uniqueName('quiet');
    await harness.registerApp(app, { namespace: ns.name, automated: { prune: true } });
    // Given a Deployment whose manifest declares no replicas (an HPA's to set), and a ConfigMap:
    // both defaulted by the API server, which must not count either.
    const revision = await harness.publishBundle(app, [
      unscaledDeployment('api'),
      configMap('settings', { color: 'blue' }),
    ]);
    await harness.untilStatus(
      app,
      'Synced and Healthy',
      (s) =>
        s.sync.revision === revision && s.sync.status === 'Synced' && s.health.status === 'Healthy',
    );
    const mark = harness.mark();

    // When other managers edit what Cairn does not declare, a hundred times:
    const api = deploymentRef('api', ns.name);
    const settings = configMapRef('settings', ns.name);
    for (let i = 0; i < EDITS; i++) {
      const edit = [
        () => patchAs(kube, 'horizontal-pod-autoscaler', api, { spec: { replicas: 1 + (i % 3) } }),
        () => patchAs(kube, 'kubectl-label', api, { metadata: { labels: { [`team-${i}`]: 'x' } } }),
        () =>
          patchAs(kube, 'kubectl-annotate', settings, {
            metadata: { annotations: { note: `${i}` } },
          }),
        () =>
          patchAs(kube, 'kubectl-label', settings, {
            metadata: { labels: { [`owner-${i}`]: 'y' } },
          }),
        () => patchAs(kube, 'kubectl-edit', settings, { data: { [`extra-${i}`]: 'z' } }),
      ][i % 5];
      await edit();
    }
    // ... and then (the sentinel, behind every edit in each object's watch) change what it declares:
    const sentinelAt = new Date().toISOString();
    await patchAs(kube, 'kubectl-edit', settings, { data: { color: 'red' } });
    await patchAs(
      kube,
      'kubectl-set-image',
      api,
      { spec: { template: { spec: { containers: [{ name: 'api', image: 'nginx:1.28' }] } } } },
      'strategic',
    );

    // Then the only drift ever reported is the sentinel's, and no status before it is OutOfSync.
    await harness.untilStatus(
      app,
      'both sentinels seen',
      (s) => s.resources.filter((r) => r.status === 'OutOfSync').length === 2,
      15_000,
      mark,
    );
    const { statuses, events } = harness.since(app, mark);
    const drift = events.filter((e) => e.type === 'DriftDetected').map((e) => e.message);
    expect(drift.join('\n')).toContain(`ConfigMap ${ns.name}/settings: data.color`);
    expect(drift.join('\n')).toContain(
      `Deployment ${ns.name}/api: spec.template.spec.containers[name=api].image`,
    );
    expect(drift.join('\n')).not.toMatch(/replicas|labels|annotations|extra-/);
    const falseAlarms = statuses.filter(
      (s) => s.reconciledAt < sentinelAt && s.sync.status !== 'Synced',
    );
    expect(falseAlarms).toEqual([]);
    expect(statuses.filter((s) => s.reconciledAt < sentinelAt).length).toBeGreaterThan(0);
  });
});
