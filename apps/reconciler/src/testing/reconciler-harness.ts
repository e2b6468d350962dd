import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import {
  type ApplicationSpec,
  AppEvent,
  AppStatus,
  Command,
  decode,
  DesiredState,
  encode,
  Topology,
} from '@cairn/contracts';
import { type KubernetesObject, ManifestBundle } from '@cairn/manifests';
import { BundleStore, connectNats, ensureTopology } from '@cairn/nats';
import { RegistryWriter } from '@cairn/registry';
import {
  createJsonLogger,
  NestJsonLogger,
  ReadinessChecks,
  type ReadinessResult,
  RuntimeModule,
} from '@cairn/runtime';
import { SecretBox } from '@cairn/secrets';
import { jetstream } from '@nats-io/jetstream';
import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import { Test, type TestingModule } from '@nestjs/testing';
import { Registry as MetricsRegistry } from 'prom-client';
import { AppModule } from '../app.module';
import { ReconcilerConfig } from '../config/reconciler-config';
import { ClusterWorkers } from '../workers/cluster-workers';

/**
 * Integration tests drive a real reconciler (the Nest module, in process) the way the rest
 * of Cairn does: registrations through RegistryWriter, bundles in the bundle store, desired
 * states and commands on JetStream. They observe what a user would: the status and event
 * subjects, and the cluster. Takes the run's infrastructure as arguments, so that test
 * tooling never becomes a dependency of the app.
 */

export interface HarnessInfra {
  natsUrl: string;
  natsPrefix: string;
  kubeconfigPath: string;
}

export interface AppOptions {
  namespace: string;
  /** A cluster added with `addCluster`; the run's cluster when absent. */
  cluster?: string;
  automated?: { prune: boolean; selfHeal?: boolean };
  syncOptions?: string[];
  ignoreDifferences?: ApplicationSpec['ignoreDifferences'];
}

export interface Mark {
  statuses: number;
  events: number;
}

export class ReconcilerHarness {
  readonly statuses: AppStatus[] = [];
  readonly events: AppEvent[] = [];
  private reconciler?: TestingModule;
  private readonly key = SecretBox.generateKey();
  /** Each registered app's cluster, for the subjects of its messages. */
  private readonly appClusters = new Map<string, string>();
  private readonly clusters: string[] = [];

  private constructor(
    readonly infra: HarnessInfra,
    readonly topology: Topology,
    readonly cluster: string,
    readonly nc: NatsConnection,
    private readonly writer: RegistryWriter,
    private readonly bundles: BundleStore,
    private readonly subscriptions: Subscription[],
  ) {}

  /** A topology of its own, and the run's cluster registered under a name of its own. */
  static async create(infra: HarnessInfra): Promise<ReconcilerHarness> {
    const suffix = randomBytes(4).toString('hex');
    const topology = new Topology(`${infra.natsPrefix}_rec_${suffix}`.replace(/[.-]/g, '_'));
    const nc = await connectNats({ url: infra.natsUrl, name: `reconciler-test-${suffix}` });
    await ensureTopology(nc, topology);
    const subscriptions = [
      nc.subscribe(topology.subjects.filter('status')),
      nc.subscribe(topology.subjects.filter('events')),
    ];
    const harness = new ReconcilerHarness(
      infra,
      topology,
      `cluster-${suffix}`,
      nc,
      await RegistryWriter.open(nc, topology),
      await BundleStore.open(nc, topology),
      subscriptions,
    );
    void harness.collect(subscriptions[0], (data) =>
      harness.statuses.push(decode(AppStatus, data)),
    );
    void harness.collect(subscriptions[1], (data) => harness.events.push(decode(AppEvent, data)));
    await harness.registerCluster(harness.cluster, infra.kubeconfigPath);
    return harness;
  }

  /** Registers another cluster (its kubeconfig file); returns the name it is registered under. */
  async addCluster(kubeconfigPath: string): Promise<string> {
    const name = `cluster-${randomBytes(4).toString('hex')}`;
    await this.registerCluster(name, kubeconfigPath);
    return name;
  }

  /** Starts the reconciler and waits until its worker for each cluster runs; `env` adds settings. */
  async startReconciler(env: Record<string, string> = {}): Promise<void> {
    const config = ReconcilerConfig.load({
      ...env,
      CAIRN_NATS_URL: this.infra.natsUrl,
      CAIRN_NATS_PREFIX: this.topology.root,
      CAIRN_ENCRYPTION_KEY: this.key,
      CAIRN_LOG_LEVEL: process.env.CAIRN_TEST_LOG_LEVEL ?? 'warn',
    });
    this.reconciler = await Test.createTestingModule({
      imports: [RuntimeModule.forService(config), AppModule],
    })
      .setLogger(new NestJsonLogger(createJsonLogger(config)))
      .compile();
    await this.reconciler.init();
    const workers = this.reconciler.get(ClusterWorkers);
    await workers.ready();
    for (const cluster of this.clusters)
      if (!workers.worker(cluster)) throw new Error(`no worker for ${cluster} started`);
  }

  /** The environment a reconciler process needs to serve this harness's clusters. */
  reconcilerEnvironment(): Record<string, string> {
    return {
      CAIRN_NATS_URL: this.infra.natsUrl,
      CAIRN_NATS_PREFIX: this.topology.root,
      CAIRN_ENCRYPTION_KEY: this.key,
    };
  }

  /** What /metrics would answer. */
  metrics(): Promise<string> {
    return this.running().get(MetricsRegistry).metrics();
  }

  /** What /readyz would check. */
  readiness(): Promise<ReadinessResult[]> {
    return this.running().get(ReadinessChecks).evaluate();
  }

  private running(): TestingModule {
    if (!this.reconciler) throw new Error('the reconciler is not running: call startReconciler()');
    return this.reconciler;
  }

  async stopReconciler(): Promise<void> {
    await this.reconciler?.close();
    this.reconciler = undefined;
  }

  async registerApp(name: string, options: AppOptions): Promise<void> {
    const spec: ApplicationSpec = {
      source: { repoURL: 'http://git.test/apps.git', path: name, targetRevision: 'main' },
      destination: { name: options.cluster ?? this.cluster, namespace: options.namespace },
      syncPolicy: {
        ...(options.automated && {
          automated: {
            prune: options.automated.prune,
            selfHeal: options.automated.selfHeal ?? false,
          },
        }),
        syncOptions: options.syncOptions ?? [],
      },
      ...(options.ignoreDifferences && { ignoreDifferences: options.ignoreDifferences }),
    };
    const cluster = options.cluster ?? this.cluster;
    this.appClusters.set(name, cluster);
    await this.writer.putApplication({ v: 1, name, cluster, spec, updatedAt: now() });
  }

  /** Stores the bundle (as the poller would render it); returns its digest. */
  async storeBundle(app: string, objects: KubernetesObject[]): Promise<string> {
    const bundle = ManifestBundle.of(objects, [`${app}/manifests.yaml`]);
    await this.bundles.put(bundle);
    return bundle.digest;
  }

  /** Stores the bundle and publishes it as the app's desired state; returns its revision. */
  async publishBundle(app: string, objects: KubernetesObject[]): Promise<string> {
    const bundle = ManifestBundle.of(objects, [`${app}/manifests.yaml`]);
    await this.bundles.put(bundle);
    const revision = randomRevision();
    await this.publishDesired({
      v: 1,
      app,
      revision,
      bundleDigest: bundle.digest,
      reason: 'new commit on main',
    });
    return revision;
  }

  async publishDesired(desired: DesiredState): Promise<void> {
    await jetstream(this.nc).publish(
      this.topology.subjects.desired(this.clusterOf(desired.app), desired.app),
      encode(DesiredState, desired),
    );
  }

  async publishCommand(command: Command): Promise<void> {
    await jetstream(this.nc).publish(
      this.topology.subjects.command(this.clusterOf(command.app), command.app),
      encode(Command, command),
    );
  }

  /**
   * The first status of the app that satisfies `accept`, from now on or already seen; with
   * `since` (a `mark()`), only among those that came after it.
   */
  untilStatus(
    app: string,
    what: string,
    accept: (s: AppStatus) => boolean,
    timeoutMs = 45_000,
    since: Mark = { statuses: 0, events: 0 },
  ) {
    return until(`status of ${app}: ${what}`, timeoutMs, () =>
      this.statuses.slice(since.statuses).find((s) => s.app === app && accept(s)),
    ).catch((error: Error) => {
      // What it showed instead is what one needs to see when this fails.
      error.message += `; its latest status: ${JSON.stringify(this.latestStatus(app))}`;
      throw error;
    });
  }

  untilEvent(
    app: string,
    what: string,
    accept: (e: AppEvent) => boolean,
    timeoutMs = 45_000,
    since: Mark = { statuses: 0, events: 0 },
  ) {
    return until(`event of ${app}: ${what}`, timeoutMs, () =>
      this.events.slice(since.events).find((e) => e.app === app && accept(e)),
    );
  }

  /** Where the statuses and events seen so far end: what came after it is new. */
  mark(): Mark {
    return { statuses: this.statuses.length, events: this.events.length };
  }

  /** The app's statuses and events that came after the mark. */
  since(app: string, mark: Mark): { statuses: AppStatus[]; events: AppEvent[] } {
    return {
      statuses: this.statuses.slice(mark.statuses).filter((s) => s.app === app),
      events: this.events.slice(mark.events).filter((e) => e.app === app),
    };
  }

  /** The newest status of the app seen so far. */
  latestStatus(app: string): AppStatus | undefined {
    return this.statuses.filter((s) => s.app === app).at(-1);
  }

  async close(): Promise<void> {
    await this.stopReconciler();
    for (const subscription of this.subscriptions) subscription.unsubscribe();
    await this.nc.close();
  }

  private clusterOf(app: string): string {
    return this.appClusters.get(app) ?? this.cluster;
  }

  private async registerCluster(name: string, kubeconfigPath: string): Promise<void> {
    const kubeconfig = await readFile(kubeconfigPath, 'utf8');
    this.clusters.push(name);
    await this.writer.putCluster({
      v: 1,
      name,
      mode: 'direct',
      credentialsSealed: SecretBox.fromBase64Key(this.key).seal(JSON.stringify({ kubeconfig })),
      updatedAt: now(),
    });
  }

  private async collect(subscription: Subscription, record: (data: Uint8Array) => void) {
    for await (const message of subscription) record(message.data);
  }
}

export function randomRevision(): string {
  return randomBytes(20).toString('hex');
}

function now(): string {
  return new Date().toISOString();
}

async function until<T>(what: string, timeoutMs: number, probe: () => T | undefined): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
