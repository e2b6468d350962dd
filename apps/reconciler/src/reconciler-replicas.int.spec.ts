import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, openSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '@cairn/cluster';
import { reconcilerDurables } from '@cairn/contracts';
import { ClusterClient } from '@cairn/kube';
import type { KubernetesObject } from '@cairn/manifests';
import { LeaseBucket, type MemberHeartbeat, ownerOf, replicaBuckets } from '@cairn/replicas';
import { buildServices, serviceEntry, waitUntilReady } from '@cairn/stack';
import { createTestNamespace, testInfra, uniqueName } from '@cairn/testing';
import { CoreV1Api, type V1ConfigMap } from '@kubernetes/client-node';
import { jetstreamManager } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLUSTER_LEASE_TTL_MS } from './replicas/cluster-share';
import { configMap } from './testing/manifests';
import { ReconcilerHarness } from './testing/reconciler-harness';

/**
 * Given two reconciler processes (the built bundle, as deployed) on one installation and
 * several clusters registered in direct mode, each with an app in a namespace of its own,
 * then each cluster is served by exactly one process and both serve some; when one process
 * is killed (SIGKILL, mid-sync), a desired state published for an app on one of its
 * clusters is applied by the other within 30 s, and no app's revisions are applied out of
 * order or twice, even once the dead one's unacknowledged message has been redelivered.
 */

const TAKEOVER_LIMIT_MS = 30_000;
/** Objects besides `settings` in the revision a process is killed applying: enough to take a while. */
const FILLERS = 80;

class ReconcilerProcess {
  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
    readonly log: string,
  ) {}

  static async start(env: Record<string, string>, logDir: string, name: string) {
    const port = await freePort();
    const log = join(logDir, `${name}.log`);
    const child = spawn(process.execPath, [serviceEntry('reconciler')], {
      env: {
        ...process.env,
        ...env,
        CAIRN_RECONCILER_HOST: '127.0.0.1',
        CAIRN_RECONCILER_PORT: String(port),
        CAIRN_LOG_LEVEL: 'info',
      },
      stdio: ['ignore', openSync(log, 'a'), openSync(log, 'a')],
    });
    const started = new ReconcilerProcess(child, `http://127.0.0.1:${port}`, log);
    await waitUntilReady(`reconciler ${name}`, started.url, () => started.alive);
    return started;
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  async metric(name: string): Promise<string[]> {
    const text = await (await fetch(`${this.url}/metrics`)).text();
    return text.split('\n').filter((line) => line.startsWith(name));
  }

  /** The clusters whose worker runs in this process, from /metrics. */
  async served(): Promise<string[]> {
    const lines = await this.metric('cairn_reconciler_cluster_workers{');
    return lines.map((line) => /cluster="([^"]+)"/.exec(line)?.[1] ?? '').sort();
  }

  async members(): Promise<number> {
    const [line] = await this.metric('cairn_reconciler_members ');
    return Number(line?.split(' ')[1]);
  }

  kill(signal: NodeJS.Signals): Promise<void> {
    if (!this.alive) return Promise.resolve();
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.kill(signal);
    return exited;
  }
}

describe('reconciler replicas divide the clusters', () => {
  let harness: ReconcilerHarness;
  let processes: ReconcilerProcess[] = [];
  /** Per cluster, its app and the app's namespace; per app, its revisions in publishing order. */
  const appOf = new Map<string, string>();
  const namespaces = new Map<string, Awaited<ReturnType<typeof createTestNamespace>>>();
  const published = new Map<string, string[]>();
  let logDir: string;

  beforeAll(async () => {
    buildServices(['reconciler']);
    harness = await ReconcilerHarness.create(testInfra());
    logDir = mkdtempSync(join(tmpdir(), 'cairn-replicas-'));
    console.log(`reconciler logs in ${logDir}`);
    processes = await Promise.all(
      ['a', 'b'].map((name) =>
        ReconcilerProcess.start(harness.reconcilerEnvironment(), logDir, `reconciler-${name}`),
      ),
    );
  }, 300_000);

  afterAll(async () => {
    await Promise.all(processes.map((p) => p.kill('SIGTERM')));
    await harness?.close();
    await Promise.all([...namespaces.values()].map((ns) => ns.delete().catch(() => undefined)));
  });

  /** Member id of each process, from the heartbeats in the members bucket. */
  async function memberIds(): Promise<Map<ReconcilerProcess, string>> {
    const kv = await new Kvm(harness.nc).open(
      replicaBuckets(harness.topology, 'reconciler').members,
    );
    const byPid = new Map<number, string>();
    for await (const key of await kv.keys()) {
      const entry = await kv.get(key);
      if (entry?.operation === 'PUT') {
        const heartbeat = entry.json() as MemberHeartbeat;
        byPid.set(heartbeat.pid, heartbeat.member);
      }
    }
    return new Map(processes.map((p) => [p, byPid.get(p.pid) ?? `no member for pid ${p.pid}`]));
  }

  async function leaseHolders(): Promise<Map<string, string>> {
    const leases = await LeaseBucket.open(harness.nc, {
      bucket: replicaBuckets(harness.topology, 'reconciler').leases,
      ttlMs: CLUSTER_LEASE_TTL_MS,
      logger: console,
    });
    return leases.holders();
  }

  async function publish(app: string, value: string, more: KubernetesObject[] = []) {
    const revision = await harness.publishBundle(app, [configMap('settings', { value }), ...more]);
    published.get(app)?.push(revision);
    return revision;
  }

  /** The revisions each SyncSucceeded event of the app named, in the order they came. */
  const applied = (app: string) =>
    harness.events
      .filter((e) => e.app === app && e.type === 'SyncSucceeded' && e.reason !== 'DryRun')
      .map((e) => e.revision ?? '');

  it('each cluster is served by one process, and both processes serve some', async () => {
    for (const p of processes) await expect.poll(() => p.members(), { timeout: 20_000 }).toBe(2);
    const ids = await memberIds();
    const members = [...ids.values()].sort();
    // Enough clusters (all pointing to the test cluster) that each member owns at least one.
    const clusters = [harness.cluster];
    const owned = () => new Set(clusters.map((c) => ownerOf(c, members)));
    while (clusters.length < 3 || owned().size < 2) {
      expect(clusters.length, 'clusters registered to give each member one').toBeLessThan(16);
      clusters.push(await harness.addCluster(testInfra().kubeconfigPath));
    }
    for (const cluster of clusters) {
      const ns = await createTestNamespace('rec-replicas');
      const app = uniqueName('replicated');
      appOf.set(cluster, app);
      namespaces.set(app, ns);
      published.set(app, []);
      await harness.registerApp(app, { cluster, namespace: ns.name, automated: { prune: true } });
    }
    const firsts = await Promise.all(
      [...appOf.values()].map(async (app) => [app, await publish(app, 'first')] as const),
    );
    for (const [app, revision] of firsts)
      await harness.untilStatus(
        app,
        'Synced at the first revision',
        (s) => s.sync.status === 'Synced' && s.sync.revision === revision,
        60_000,
      );

    const served = await Promise.all(processes.map((p) => p.served()));
    console.log(
      `clusters served: ${processes.map((p, i) => `pid ${p.pid}: ${served[i].join(', ')}`).join('; ')}`,
    );
    expect(served.every((clustersOfOne) => clustersOfOne.length > 0)).toBe(true);
    expect(served.flat().sort()).toEqual([...clusters].sort());
    const holders = await leaseHolders();
    for (const [i, p] of processes.entries())
      for (const cluster of served[i]) {
        expect(holders.get(cluster)).toBe(ids.get(p));
        expect(ownerOf(cluster, members)).toBe(ids.get(p));
      }
    // Served once: each app synced its revision once, not once per process.
    for (const [app, revision] of firsts) expect(applied(app)).toEqual([revision]);
  });

  it('a killed process has its clusters taken over within 30 s, in order', async () => {
    const [victim, survivor] = processes;
    const lost = await victim.served();
    const cluster = lost[0];
    const app = appOf.get(cluster) as string;
    const ns = namespaces.get(app) as Awaited<ReturnType<typeof createTestNamespace>>;
    const core = ns.kubeconfig.makeApiClient(CoreV1Api);
    const fillersLive = async () =>
      (await core.listNamespacedConfigMap({ namespace: ns.name })).items.filter((c) =>
        c.metadata?.name?.startsWith('filler-'),
      ).length;

    // Killed mid-apply: some objects of the second revision are in the cluster, not all;
    // its message is left unacknowledged, to be delivered again (to the survivor) later.
    const fillers = Array.from({ length: FILLERS }, (_, i) =>
      configMap(`filler-${String(i).padStart(3, '0')}`, { index: String(i) }),
    );
    const second = await publish(app, 'second', fillers);
    await expect.poll(fillersLive, { timeout: 30_000, interval: 10 }).toBeGreaterThan(0);
    await victim.kill('SIGKILL');
    const killedAt = Date.now();
    console.log(
      `SIGKILL with ${await fillersLive()} of ${FILLERS} objects of the second revision applied; its sync ${applied(app).includes(second) ? 'had' : 'had not'} finished`,
    );
    const third = await publish(app, 'third');

    await harness.untilEvent(
      app,
      'SyncSucceeded at the third revision',
      (e) => e.type === 'SyncSucceeded' && e.revision === third,
      TAKEOVER_LIMIT_MS - (Date.now() - killedAt),
    );
    const takeoverMs = Date.now() - killedAt;
    console.log(
      `takeover: the third revision of ${app} on ${cluster} applied ${(takeoverMs / 1000).toFixed(1)} s after SIGKILL of pid ${victim.pid}`,
    );
    expect(takeoverMs).toBeLessThan(TAKEOVER_LIMIT_MS);
    await expect
      .poll(() => survivor.served(), { timeout: 10_000 })
      .toEqual([...appOf.keys()].sort());
    const survivorId = (await memberIds()).get(survivor);
    expect(new Set((await leaseHolders()).values())).toEqual(new Set([survivorId]));

    // Everything the dead one held comes back to the survivor, then nothing is left.
    const jsm = await jetstreamManager(harness.nc);
    await expect
      .poll(
        async () => {
          const info = await jsm.consumers.info(
            harness.topology.streams.desired(),
            reconcilerDurables(cluster).desired,
          );
          return info.num_pending + info.num_ack_pending;
        },
        { timeout: 60_000, interval: 1_000 },
      )
      .toBe(0);

    // Applied in the order published, each revision once, the newest last.
    for (const [each, revisions] of published) {
      const order = applied(each).map((revision) => revisions.indexOf(revision));
      expect(order.every((index, i) => index >= 0 && (i === 0 || index > order[i - 1]))).toBe(true);
      expect(applied(each).at(-1)).toBe(revisions.at(-1));
    }
    const live = await new ClusterClient(ns.kubeconfig).read<V1ConfigMap>({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'settings', namespace: ns.name },
    });
    expect(live?.data).toEqual({ value: 'third' });
    // What the killed process applied of the second revision is pruned with it.
    expect(await fillersLive()).toBe(0);
    expect(readFileSync(survivor.log, 'utf8')).toContain('took the lease of a cluster');
  }, 150_000);
});
