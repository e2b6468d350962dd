import { existsSync, readFileSync } from 'node:fs';
import { auditedAccessNextTo, CAIRN_USER } from '@cairn/cluster';
import { ClusterClient } from '@cairn/kube';
import { createTestNamespace, testInfra, uniqueName } from '@cairn/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configMap } from './testing/manifests';
import { configMapRef, patchAs } from './testing/out-of-band';
import { ReconcilerHarness } from './testing/reconciler-harness';

const OBJECTS = 200;
const QUIET_WINDOW_MS = 20_000;

interface AuditEntry {
  stage: string;
  verb: string;
  requestURI: string;
  user: { username: string };
  requestReceivedTimestamp: string;
}

/**
 * The reconciler of this test talks to the cluster as user `cairn`, whose every request the
 * local cluster's API server writes to its audit log; nobody else's is logged.
 */
describe('steady state: watches only', () => {
  const { cairnKubeconfigPath, auditLogPath } = auditedAccessNextTo(testInfra().kubeconfigPath);
  let harness: ReconcilerHarness;
  let ns: Awaited<ReturnType<typeof createTestNamespace>>;

  const requestsOfCairn = (from: string, to: string) =>
    readFileSync(auditLogPath, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as AuditEntry)
      .filter(
        (e) =>
          e.user.username === CAIRN_USER &&
          e.requestReceivedTimestamp >= from &&
          e.requestReceivedTimestamp <= to,
      );

  beforeAll(async () => {
    if (!existsSync(cairnKubeconfigPath) || !existsSync(auditLogPath))
      throw new Error(
        `the test cluster has no audited user: ${cairnKubeconfigPath} or ${auditLogPath} is missing; restart it with \`npm run cluster -- down/up\``,
      );
    harness = await ReconcilerHarness.create({
      ...testInfra(),
      kubeconfigPath: cairnKubeconfigPath,
    });
    ns = await createTestNamespace('steady');
    await harness.startReconciler();
  });

  afterAll(async () => {
    await harness?.close();
    await ns?.delete();
  });

  it(`makes no get or list request in ${QUIET_WINDOW_MS / 1000} s of steady state with ${OBJECTS} objects`, async () => {
    const app = uniqueName('steady');
    await harness.registerApp(app, { namespace: ns.name, automated: { prune: true } });
    const objects = Array.from({ length: OBJECTS }, (_, i) =>
      configMap(`cm-${i}`, { index: `${i}` }),
    );
    const revision = await harness.publishBundle(app, objects);
    const synced = await harness.untilStatus(
      app,
      'Synced and Healthy',
      (s) =>
        s.sync.revision === revision && s.sync.status === 'Synced' && s.health.status === 'Healthy',
      60_000,
    );
    expect(synced.resources).toHaveLength(OBJECTS);
    await new Promise((resolve) => setTimeout(resolve, 1_000)); // the sync's own watch events settle

    const from = new Date().toISOString();
    await new Promise((resolve) => setTimeout(resolve, QUIET_WINDOW_MS));
    const to = new Date().toISOString();

    const reads = requestsOfCairn(from, to).filter((e) => e.verb === 'get' || e.verb === 'list');
    expect(reads.map((e) => `${e.verb} ${e.requestURI}`)).toEqual([]);
    const configMapWatches = requestsOfCairn('0', to).filter(
      (e) => e.verb === 'watch' && e.requestURI.startsWith('/api/v1/configmaps?'),
    );
    expect(configMapWatches.length).toBeGreaterThan(0);

    // And the watch is alive: an edit during steady state is still seen, at once.
    const mark = harness.mark();
    await patchAs(new ClusterClient(ns.kubeconfig), 'kubectl-edit', configMapRef('cm-7', ns.name), {
      data: { index: 'changed' },
    });
    const drift = await harness.untilEvent(
      app,
      'DriftDetected',
      (e) => e.type === 'DriftDetected',
      10_000,
      mark,
    );
    expect(drift.message).toContain(`ConfigMap ${ns.name}/cm-7: data.index`);
  }, 150_000);
});
