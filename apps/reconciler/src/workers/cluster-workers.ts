import { setTimeout as sleep } from 'node:timers/promises';
import { agentInboxPrefix, Topology } from '@cairn/contracts';
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
import { ClusterShare } from '../replicas/cluster-share';
import { SyncStateStore } from '../sync-state/sync-state-store';
import { ClusterAccess } from './cluster-access';
import { ClusterWorker, type WorkerDependencies } from './cluster-worker';
import { servedClusters } from './served-clusters';

/** How long to wait before trying again to open what the workers share. */
const RETRY_OPEN_MS = 5_000;
/**
 * On shutdown, how long a cluster's lease waits for the operations of its stopped worker
 * before it is left to expire; within the runtime's 10 s shutdown deadline.
 */
const SHUTDOWN_HANDOVER_MS = 2_000;

/**
 * Owns the process's workers: connects to NATS, sets up the topology, loads the registry,
 * and keeps one ClusterWorker running per served cluster as clusters are registered,
 * changed (new credentials) and removed. Startup does not block the HTTP server: until
 * NATS is reached and the registry loaded, /readyz says so.
 *
 * In agent mode (CAIRN_AGENT_CLUSTER) it serves that one cluster, with NATS permissions
 * scoped to it: it creates nothing (the control plane did), sees only its own cluster's
 * registration, takes its replies on an inbox of its own, and keeps trying until the
 * control plane has set things up.
 *
 * Otherwise, unless CAIRN_CLUSTERS names the clusters, several reconciler processes divide
 * the direct-mode clusters between them (ClusterShare) and take over a dead one's.
 */
@Injectable()
export class ClusterWorkers implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ClusterWorkers.name);
  private readonly workers = new Map<string, ClusterWorker>();
  private nc?: NatsConnection;
  private deps?: WorkerDependencies;
  /** How this process shares the clusters with the other replicas; unset when it does not. */
  private share?: ClusterShare;
  private connected = false;
  private stopping = false;
  /** Worker starts and stops, one change at a time. */
  private changes: Promise<void> = Promise.resolve();
  private started!: Promise<void>;
  /** Why a served cluster has no worker, until it has one. */
  private readonly startErrors = new Map<string, string>();

  constructor(
    private readonly config: ReconcilerConfig,
    private readonly readiness: ReadinessChecks,
    private readonly metrics: ReconcilerMetrics,
    private readonly access: ClusterAccess,
  ) {}

  onApplicationBootstrap(): void {
    this.readiness.register('nats', () => {
      if (!this.connected)
        throw new Error(`not connected to NATS at ${this.config.natsServers.join(',')}`);
    });
    this.readiness.register('registry', () => {
      if (!this.deps) throw new Error('registrations not loaded yet');
    });
    const agent = this.config.agent;
    // An agent has one job: it is ready when it does it.
    if (agent)
      this.readiness.register('cluster', () => {
        if (this.workers.has(agent.cluster)) return;
        throw new Error(
          this.startErrors.get(agent.cluster) ??
            `cluster "${agent.cluster}" is not registered at the control plane: register it with {"name": "${agent.cluster}", "mode": "agent"}`,
        );
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
    // The other replicas start taking this one's clusters as their leases are freed.
    await this.share?.leave();
    await this.changes;
    await Promise.all(
      [...this.workers].map(async ([name, worker]) => {
        await worker.stop();
        await this.share?.release(name, worker.idle(), SHUTDOWN_HANDOVER_MS);
      }),
    );
    this.workers.clear();
    this.deps?.registry.close();
    if (this.nc && !this.nc.isClosed()) await this.nc.drain();
  }

  private async start(): Promise<void> {
    const topology = new Topology(this.config.natsPrefix);
    const agent = this.config.agent;
    const nc = await connectNats({
      url: this.config.natsServers,
      name: agent ? `reconciler-agent-${agent.cluster}` : `reconciler-${process.pid}`,
      auth: this.config.natsAuth,
      ...(agent && { inboxPrefix: agentInboxPrefix(topology, agent.cluster) }),
    });
    this.nc = nc;
    if (this.stopping) return void (await nc.close());
    this.connected = true;
    void this.followConnection(nc);
    const shared = await this.openShared(nc, topology);
    if (!shared) return;
    const { registry, bundles, states } = shared;
    if (!agent && this.config.clusters.length === 0) {
      // Before any worker starts: a replica takes clusters only once it has seen the others.
      this.share = new ClusterShare(nc, topology, this.readiness, this.metrics);
      this.share.onChange(() => this.reviseWorkers());
      await this.share.joined;
    }
    this.metrics.reportWorkers(() => this.workers.keys());
    this.deps = {
      nc,
      topology,
      registry,
      bundles,
      states,
      access: this.access,
      metrics: this.metrics,
      resyncMs: this.config.resyncSeconds * 1000,
    };
    registry.clusters.onChange(() => this.reviseWorkers());
    registry.applications.onChange(({ key, value }) => {
      if (value) this.workers.get(value.cluster)?.onApplicationChanged(key);
    });
    this.reviseWorkers();
  }

  /**
   * The topology (made here unless this is an agent), the registry, bundles and sync
   * states; tried again until it works, or undefined once the process is stopping.
   */
  private async openShared(nc: NatsConnection, topology: Topology) {
    const agent = this.config.agent;
    const onInvalid = (key: string, error: Error) =>
      this.logger.warn({ msg: 'invalid registration skipped', key, error: error.message });
    for (let attempt = 1; !this.stopping; attempt++) {
      try {
        if (!agent) await ensureTopology(nc, topology);
        const [bundles, states] = await Promise.all([
          BundleStore.open(nc, topology),
          SyncStateStore.open(nc, topology),
        ]);
        // Last, as it is the one that holds watches to close if anything else fails.
        const registry = agent
          ? await Registry.openForAgent(nc, topology, agent.cluster, onInvalid)
          : await Registry.open(nc, topology, onInvalid);
        if (!this.stopping) return { registry, bundles, states };
        registry.close();
      } catch (error) {
        this.logger.error({
          msg: 'cannot open the registry, bundles and sync states; trying again',
          attempt,
          retryInMs: RETRY_OPEN_MS,
          error: error instanceof Error ? error.message : String(error),
        });
        await sleep(RETRY_OPEN_MS);
      }
    }
    return undefined;
  }

  /** Starts, restarts and stops workers until they match the served clusters. */
  private reviseWorkers(): void {
    this.changes = this.changes.then(async () => {
      const deps = this.deps;
      if (!deps || this.stopping) return;
      const served = servedClusters(this.config.clusters, deps.registry.clusters.values());
      const claimed = this.share ? await this.share.claim(served) : served;
      const wanted = new Map(claimed.map((c) => [c.name, c]));
      for (const [name, worker] of this.workers) {
        if (wanted.get(name)?.updatedAt === worker.registration.updatedAt) continue;
        this.workers.delete(name);
        await worker.stop();
        if (!wanted.has(name)) await this.share?.release(name, worker.idle());
      }
      await this.share?.releaseAllBut(new Set(wanted.keys()));
      for (const [name, registration] of wanted) {
        if (this.workers.has(name)) continue;
        try {
          this.workers.set(name, await ClusterWorker.start(registration, deps));
          this.startErrors.delete(name);
        } catch (error) {
          // Retried when the registration changes: its messages wait in the streams meanwhile.
          const message = error instanceof Error ? error.message : String(error);
          this.startErrors.set(name, `cannot start the worker of cluster "${name}": ${message}`);
          this.logger.error({
            msg: 'cannot start the worker of a cluster',
            cluster: name,
            error: message,
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
