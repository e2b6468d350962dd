import { Topology } from '@cairn/contracts';
import { BundleStore, connectNats, ensureTopology } from '@cairn/nats';
import { Registry } from '@cairn/registry';
import { ReadinessChecks } from '@cairn/runtime';
import type { NatsConnection } from '@nats-io/transport-node';
import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { ReconcilerConfig } from '../config/reconciler-config';
import { ReconcilerMetrics } from '../metrics/reconciler-metrics';
import { SyncStateStore } from '../sync-state/sync-state-store';
import { ClusterWorker, type WorkerDependencies } from './cluster-worker';
import { servedClusters } from './served-clusters';

/**
 * Owns the process's workers: connects to NATS, sets up the topology, loads the registry,
 * and keeps one ClusterWorker running per served cluster as clusters are registered,
 * changed (new credentials) and removed. Startup does not block the HTTP server: until
 * NATS is reached and the registry loaded, /readyz says so.
 */
@Injectable()
export class ClusterWorkers implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ClusterWorkers.name);
  private readonly workers = new Map<string, ClusterWorker>();
  private nc?: NatsConnection;
  private deps?: WorkerDependencies;
  private connected = false;
  private stopping = false;
  /** Worker starts and stops, one change at a time. */
  private changes: Promise<void> = Promise.resolve();
  private started!: Promise<void>;

  constructor(
    private readonly config: ReconcilerConfig,
    private readonly readiness: ReadinessChecks,
    private readonly metrics: ReconcilerMetrics,
  ) {}

  onApplicationBootstrap(): void {
    this.readiness.register('nats', () => {
      if (!this.connected)
        throw new Error(`not connected to NATS at ${this.config.natsServers.join(',')}`);
    });
    this.readiness.register('registry', () => {
      if (!this.deps) throw new Error('registrations not loaded yet');
    });
    this.started = this.start();
    this.started.catch((error: unknown) =>
      this.logger.error({ msg: 'reconciler could not start its workers', error: String(error) }),
    );
  }

  /** Resolves once NATS is connected, the registry loaded and the first workers started. */
  ready(): Promise<void> {
    return this.started.then(() => this.changes);
  }

  /** The worker of a cluster, if this process runs one. */
  worker(cluster: string): ClusterWorker | undefined {
    return this.workers.get(cluster);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    await this.changes;
    await Promise.all([...this.workers.values()].map((worker) => worker.stop()));
    this.workers.clear();
    this.deps?.registry.close();
    if (this.nc && !this.nc.isClosed()) await this.nc.drain();
  }

  private async start(): Promise<void> {
    const topology = new Topology(this.config.natsPrefix);
    const nc = await connectNats({
      url: this.config.natsServers,
      name: `reconciler-${process.pid}`,
    });
    this.nc = nc;
    if (this.stopping) return void (await nc.close());
    this.connected = true;
    void this.followConnection(nc);
    await ensureTopology(nc, topology);
    const [registry, bundles, states] = await Promise.all([
      Registry.open(nc, topology, (key, error) =>
        this.logger.warn({ msg: 'invalid registration skipped', key, error: error.message }),
      ),
      BundleStore.open(nc, topology),
      SyncStateStore.open(nc, topology),
    ]);
    if (this.stopping) return registry.close();
    this.deps = {
      nc,
      topology,
      registry,
      bundles,
      states,
      secrets: this.config.secretBox,
      metrics: this.metrics,
      resyncMs: this.config.resyncSeconds * 1000,
    };
    registry.clusters.onChange(() => this.reviseWorkers());
    registry.applications.onChange(({ key, value }) => {
      if (value) this.workers.get(value.cluster)?.onApplicationChanged(key);
    });
    this.reviseWorkers();
  }

  /** Starts, restarts and stops workers until they match the served clusters. */
  private reviseWorkers(): void {
    this.changes = this.changes.then(async () => {
      const deps = this.deps;
      if (!deps || this.stopping) return;
      const wanted = new Map(
        servedClusters(this.config.clusters, deps.registry.clusters.values()).map((c) => [
          c.name,
          c,
        ]),
      );
      for (const [name, worker] of this.workers) {
        if (wanted.get(name)?.updatedAt === worker.registration.updatedAt) continue;
        this.workers.delete(name);
        await worker.stop();
      }
      for (const [name, registration] of wanted) {
        if (this.workers.has(name)) continue;
        try {
          this.workers.set(name, await ClusterWorker.start(registration, deps));
        } catch (error) {
          // Retried when the registration changes: its messages wait in the streams meanwhile.
          this.logger.error({
            msg: 'cannot start the worker of a cluster',
            cluster: name,
            error: error instanceof Error ? error.message : String(error),
          });
        }
      }
    });
  }

  private async followConnection(nc: NatsConnection): Promise<void> {
    for await (const status of nc.status()) {
      if (status.type === 'disconnect') this.connected = false;
      if (status.type === 'reconnect') this.connected = true;
    }
  }
}
