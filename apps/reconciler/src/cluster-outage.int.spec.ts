import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  type LocalCluster,
  pauseApiServer,
  resumeApiServer,
  startApiServer,
  startClusters,
  stopApiServer,
  stopClusters,
} from '@cairn/cluster';
import { type AppStatus, AppEvent, decode } from '@cairn/contracts';
import { ClusterClient, loadKubeConfig } from '@cairn/kube';
import type { KubernetesObject } from '@cairn/manifests';
import { createTestNamespace, testInfra, uniqueName } from '@cairn/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configMap } from './testing/manifests';
import { configMapRef, patchAs } from './testing/out-of-band';
import { randomRevision, ReconcilerHarness } from './testing/reconciler-harness';

/** Objects per app: enough that a sync takes a while, so the API server dies in the middle of one. */
const SETTINGS_PER_APP = 40;

/**
 * What an app's folder holds at a generation: ConfigMaps that carry it, and a Deployment
 * that stays as it is. A rollout after an API server restart waits on the cluster's own
 * controllers (their reconnection backoff), which is not what this test measures.
 */
function manifests(app: string, generation: number): KubernetesObject[] {
  return [
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: `${app}-web` },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app } },
        template: {
          metadata: { labels: { app } },
          spec: {
            containers: [{ name: 'web', image: 'nginx:1.27' }],
          },
        },
      },
    },
    ...Array.from({ length: SETTINGS_PER_APP }, (_, i) =>
      configMap(`${app}-settings-${i}`, { generation: `${generation}` }),
    ),
  ];
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const syncedAt = (revision: string) => (s: AppStatus) =>
  s.sync.status === 'Synced' && s.sync.revision === revision && s.health.status === 'Healthy';

/**
 * Isolation between clusters: one cluster's API server stops in the middle of a sync. The
 * other cluster's apps carry on; the stopped one's apps say Unknown and why, once; when it
 * is back they converge, with what arrived meanwhile, and no one lifts a finger. Cluster B
 * is a cluster of this test's own: stopping the run's shared cluster would break the tests
 * running beside this one.
 */
describe('a cluster whose API server stops', () => {
  let harness: ReconcilerHarness;
  let nsA: Awaited<ReturnType<typeof createTestNamespace>>;
  let b: LocalCluster;
  let clusterA: string;
  let clusterB: string;
  const bName = `outage-${testInfra().runId}-${randomBytes(2).toString('hex')}`;
  const appsA = [uniqueName('iso-a1'), uniqueName('iso-a2')];
  const appsB = [uniqueName('iso-b1'), uniqueName('iso-b2')];
  const all = [...appsA, ...appsB];
  let paused = false;
  let stopped = false;

  beforeAll(async () => {
    harness = await ReconcilerHarness.create(testInfra());
    clusterA = harness.cluster;
    nsA = await createTestNamespace('iso');
    [b] = await startClusters({ names: [bName] });
    clusterB = await harness.addCluster(b.kubeconfigPath);
    for (const app of appsA)
      await harness.registerApp(app, { namespace: nsA.name, automated: { prune: true } });
    for (const app of appsB)
      await harness.registerApp(app, {
        cluster: clusterB,
        namespace: 'shop',
        automated: { prune: true },
        syncOptions: ['CreateNamespace=true'],
      });
    await harness.startReconciler();
  }, 240_000);

  afterAll(async () => {
    if (paused) resumeApiServer(bName);
    await harness?.close();
    await nsA?.delete();
    await stopClusters({ names: [bName] });
  });

  /** A commit for each app, in this order: its revision by app. */
  const commits = (apps: string[]) => new Map(apps.map((app) => [app, randomRevision()]));

  /** Publishes each app's desired state at its revision, as the repo-poller would. */
  async function publish(revisions: Map<string, string>, generation: number): Promise<void> {
    for (const [app, revision] of revisions) {
      const bundleDigest = await harness.storeBundle(app, manifests(app, generation));
      await harness.publishDesired({ v: 1, app, revision, bundleDigest, reason: 'new commit' });
    }
  }

  /** Each app's first status (after `since`, by default now) that `accept` takes. */
  const untilAll = (
    apps: string[],
    what: string,
    accept: (app: string, s: AppStatus) => boolean,
    { timeoutMs = 90_000, since = harness.mark() } = {},
  ) =>
    Promise.all(
      apps.map((app) => harness.untilStatus(app, what, (s) => accept(app, s), timeoutMs, since)),
    );
  const unreachable = (s: AppStatus) => s.conditions.some((c) => c.type === 'ClusterUnreachable');

  it("makes only its own apps Unknown, and they converge within 60 s of its return; the other cluster's apps never stop", async () => {
    // Given two apps on each cluster, Synced and Healthy.
    let started = Date.now();
    const first = commits(all);
    await publish(first, 1);
    await untilAll(all, 'Synced and Healthy at generation 1', (app, s) =>
      syncedAt(first.get(app) as string)(s),
    );
    const firstSyncMs = Date.now() - started;

    // When a commit lands on every app and B's API server dies as B's first app starts syncing it.
    const b1 = appsB[0];
    const second = commits([b1, ...appsA, appsB[1]]);
    const killed = new Promise<number>((resolve, reject) => {
      const subscription = harness.nc.subscribe(harness.topology.subjects.events(clusterB, b1));
      void (async () => {
        for await (const message of subscription) {
          const event = decode(AppEvent, message.data);
          if (event.type !== 'SyncStarted' || event.revision !== second.get(b1)) continue;
          subscription.unsubscribe();
          stopped = true;
          await stopApiServer(bName, { signal: 'SIGKILL' }).then(() => resolve(Date.now()), reject);
        }
      })();
    });
    await harness.nc.flush();
    const mark = harness.mark();
    started = Date.now();
    await publish(second, 2);
    const stoppedAt = await killed;

    // Then A's apps finish their sync while B is down, at the speed they synced before.
    await untilAll(
      appsA,
      'Synced at generation 2',
      (app, s) => syncedAt(second.get(app) as string)(s),
      { timeoutMs: 45_000, since: mark },
    );
    const secondSyncMs = Date.now() - started;
    // And B's apps say Unknown, naming the cluster, its server and why.
    const unknown = await untilAll(
      appsB,
      'Unknown, with ClusterUnreachable',
      (_, s) => s.sync.status === 'Unknown' && s.health.status === 'Unknown' && unreachable(s),
      { timeoutMs: 30_000, since: mark },
    );
    const unknownAfterMs = Date.now() - stoppedAt;
    for (const status of unknown) {
      const condition = status.conditions.find((c) => c.type === 'ClusterUnreachable');
      expect(condition?.message).toContain(
        `cluster ${clusterB}: API server ${b.server} unreachable`,
      );
      expect(condition?.message).toMatch(/ECONNREFUSED|ECONNRESET|socket hang up/);
    }
    // The sync that was in flight failed for want of the cluster, not for anything in it.
    const failed = await harness.untilEvent(
      b1,
      'the interrupted sync failed',
      (e) => e.type === 'SyncFailed' && e.revision === second.get(b1),
      30_000,
      mark,
    );
    expect(failed.message).toMatch(/ECONNREFUSED|ECONNRESET|socket hang up/);
    expect(
      harness
        .since(b1, mark)
        .events.filter((e) => e.type === 'SyncSucceeded' && e.revision === second.get(b1)),
    ).toEqual([]);
    // Nothing of this reached A's apps.
    for (const app of appsA)
      for (const status of harness.since(app, mark).statuses) {
        expect(status.sync.status).not.toBe('Unknown');
        expect(status.conditions).toEqual([]);
      }

    // When another commit lands on B's apps while B is away.
    const third = commits(appsB);
    await publish(third, 3);
    await Promise.all(
      appsB.map((app) =>
        harness.untilEvent(
          app,
          'the sync of generation 3 failed',
          (e) => e.type === 'SyncFailed' && e.revision === third.get(app),
          30_000,
          mark,
        ),
      ),
    );
    // Then B's apps are not published again and again while it stays away.
    const quiet = harness.mark();
    await sleep(6_000);
    expect(appsB.flatMap((app) => harness.since(app, quiet).statuses)).toEqual([]);
    const transitions = new Set(
      harness.statuses
        .slice(mark.statuses)
        .filter((s) => appsB.includes(s.app))
        .flatMap((s) => s.conditions.filter((c) => c.type === 'ClusterUnreachable'))
        .map((c) => c.lastTransitionTime),
    );
    expect(transitions.size).toBe(1);

    // When B's API server comes back.
    const { statuses: statusesAtReturn, events: eventsAtReturn } = harness.mark();
    const restartAt = Date.now();
    await startApiServer(bName);
    stopped = false;
    const readyAt = Date.now();

    // Then B's apps converge, at the revision that arrived while B was away, with no condition.
    await untilAll(
      appsB,
      'Synced and Healthy at generation 3, reachable',
      (app, s) => syncedAt(third.get(app) as string)(s) && s.conditions.length === 0,
      { timeoutMs: 60_000 },
    );
    const convergedAt = Date.now();
    const returned = { statuses: statusesAtReturn, events: eventsAtReturn };
    const lastOf = (times: number[]) => Math.max(...times);
    const reachableAt = lastOf(
      appsB.map((app) =>
        Date.parse(
          harness.since(app, returned).statuses.find((s) => s.conditions.length === 0)
            ?.reconciledAt ?? '',
        ),
      ),
    );
    const syncedAt3 = lastOf(
      appsB.map((app) =>
        Date.parse(
          harness
            .since(app, returned)
            .events.find((e) => e.type === 'SyncSucceeded' && e.revision === third.get(app))
            ?.time ?? '',
        ),
      ),
    );
    const kube = new ClusterClient(loadKubeConfig({ path: b.kubeconfigPath }));
    for (const app of appsB) {
      const live = await kube.read<{ data?: Record<string, string> }>(
        configMapRef(`${app}-settings-${SETTINGS_PER_APP - 1}`, 'shop'),
      );
      expect(live?.data).toEqual({ generation: '3' });
    }
    expect(
      harness
        .since(b1, mark)
        .events.filter((e) => e.type === 'SyncSucceeded')
        .map((e) => e.revision),
    ).toContain(third.get(b1));
    // And the live cache watches B again: an edit made there now is seen as drift.
    const b2 = appsB[1];
    const afterReturn = harness.mark();
    await patchAs(kube, 'kubectl-edit', configMapRef(`${b2}-settings-0`, 'shop'), {
      data: { generation: 'edited' },
    });
    await harness.untilEvent(
      b2,
      'drift seen',
      (e) => e.type === 'DriftDetected',
      30_000,
      afterReturn,
    );

    const figures = {
      clusterA,
      clusterB,
      objectsPerApp: SETTINGS_PER_APP + 1,
      firstSyncAllApps: seconds(firstSyncMs),
      clusterASyncWhileBDown: seconds(secondSyncMs),
      unknownAfterStop: seconds(unknownAfterMs),
      apiServerRestartToReady: seconds(readyAt - restartAt),
      bConditionClearedAfterReady: seconds(reachableAt - readyAt),
      bSyncedLatestAfterReady: seconds(syncedAt3 - readyAt),
      bSyncedAndHealthyAfterReady: seconds(convergedAt - readyAt),
      bConvergedAfterRestart: seconds(convergedAt - restartAt),
    };
    console.log(`cluster outage figures: ${JSON.stringify(figures)}`);
    expect(convergedAt - restartAt).toBeLessThan(60_000);
  }, 300_000);

  it('holds nothing up while its API server hangs: its requests time out, its apps say Unknown, and converge once it answers', async () => {
    // Given every app Synced and Healthy (B's API server up, whatever the test before left).
    if (stopped) await startApiServer(bName);
    stopped = false;
    const fourth = commits(all);
    await publish(fourth, 4);
    await untilAll(all, 'Synced and Healthy at generation 4', (app, s) =>
      syncedAt(fourth.get(app) as string)(s),
    );

    // When B's API server hangs (connections accepted, nothing answered) and a commit lands on every app.
    pauseApiServer(bName);
    paused = true;
    const hungAt = Date.now();
    const mark = harness.mark();
    const fifth = commits([...appsB, ...appsA]);
    await publish(fifth, 5);

    // Then A's apps sync it at once, whatever B's requests are waiting for.
    await untilAll(
      appsA,
      'Synced at generation 5',
      (app, s) => syncedAt(fifth.get(app) as string)(s),
      { timeoutMs: 30_000, since: mark },
    );
    const clusterASyncMs = Date.now() - hungAt;
    // And B's apps say Unknown once a request has had no answer for its whole timeout.
    const unknown = await untilAll(
      appsB,
      'Unknown, with ClusterUnreachable',
      (_, s) => s.sync.status === 'Unknown' && unreachable(s),
      { timeoutMs: 60_000, since: mark },
    );
    const unknownAfterMs = Date.now() - hungAt;
    for (const status of unknown)
      expect(status.conditions.find((c) => c.type === 'ClusterUnreachable')?.message).toMatch(
        new RegExp(`^cluster ${clusterB}: API server ${b.server} unreachable: .*no answer`),
      );
    for (const app of appsA)
      expect(harness.since(app, mark).statuses.map((s) => s.sync.status)).not.toContain('Unknown');

    // When it answers again.
    resumeApiServer(bName);
    paused = false;
    const resumedAt = Date.now();

    // Then B's apps converge at the revision that arrived while it hung.
    await untilAll(
      appsB,
      'Synced and Healthy at generation 5, reachable',
      (app, s) => syncedAt(fifth.get(app) as string)(s) && s.conditions.length === 0,
    );
    const convergedAt = Date.now();
    console.log(
      `hung cluster figures: ${JSON.stringify({
        clusterASyncWhileBHung: seconds(clusterASyncMs),
        unknownAfterHang: seconds(unknownAfterMs),
        bSyncedAndHealthyAfterResume: seconds(convergedAt - resumedAt),
      })}`,
    );
    expect(convergedAt - resumedAt).toBeLessThan(60_000);
  }, 300_000);
});
