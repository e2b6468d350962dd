import { setTimeout as sleep } from 'node:timers/promises';
import {
  Command,
  ContractViolation,
  type ClusterRegistration,
  decode,
  DesiredState,
  type Topology,
} from '@cairn/contracts';
import { ClusterClient } from '@cairn/kube';
import type { BundleStore } from '@cairn/nats';
import type { Registry } from '@cairn/registry';
import type { SecretBox } from '@cairn/secrets';
import { jetstream, jetstreamManager, type JsMsg } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { Logger } from '@nestjs/common';
import { CommandHandler } from '../applications/command-handler';
import { DesiredStateHandler } from '../applications/desired-state-handler';
import { HealthMonitor } from '../health/health-monitor';
import type { ReconcilerMetrics } from '../metrics/reconciler-metrics';
import { EventLog } from '../status/event-log';
import { StatusBoard } from '../status/status-board';
import type { SyncStateStore } from '../sync-state/sync-state-store';
import { AppQueues } from './app-queues';
import { clusterKubeConfig } from './cluster-credentials';
import { DurableConsumer } from './durable-consumer';
import type { WorkerContext } from './worker-context';

/** What every worker of a process shares. */
export interface WorkerDependencies {
  nc: NatsConnection;
  topology: Topology;
  registry: Registry;
  bundles: BundleStore;
  states: SyncStateStore;
  secrets: SecretBox;
  metrics: ReconcilerMetrics;
}

/** Apps of one cluster synced at once; the others wait their turn. */
const PARALLEL_APPS = 8;
/** Messages taken from a consumer and not yet acknowledged, at most. */
const MAX_OUTSTANDING = 64;
/** How long a stopping worker lets operations in hand finish; the rest are redelivered. */
const STOP_GRACE_MS = 3_000;

/**
 * The reconciler of one cluster: two durable consumers (desired states and commands for
 * this cluster's apps) feeding per-app queues, so each app's operations run in order and
 * different apps run in parallel.
 */
export class ClusterWorker {
  private readonly queues = new AppQueues(PARALLEL_APPS);
  private consumers: DurableConsumer[] = [];
  private stopReporting: () => void = () => undefined;
  private stopped = false;

  private constructor(
    readonly registration: ClusterRegistration,
    private readonly deps: WorkerDependencies,
    private readonly ctx: WorkerContext,
    private readonly desired: DesiredStateHandler,
    private readonly commands: CommandHandler,
  ) {}

  get cluster(): string {
    return this.registration.name;
  }

  static async start(
    registration: ClusterRegistration,
    deps: WorkerDependencies,
  ): Promise<ClusterWorker> {
    const cluster = registration.name;
    const client = new ClusterClient(clusterKubeConfig(registration, deps.secrets));
    const logger = new Logger(`ClusterWorker ${cluster}`);
    const board = new StatusBoard(
      cluster,
      deps.topology,
      jetstream(deps.nc),
      await jetstreamManager(deps.nc),
    );
    const events = new EventLog(cluster, deps.topology, jetstream(deps.nc));
    const ctx: WorkerContext = {
      cluster,
      client,
      bundles: deps.bundles,
      states: deps.states,
      board,
      events,
      monitor: new HealthMonitor(client, board, events, logger),
      metrics: deps.metrics,
      logger,
    };
    const worker = new ClusterWorker(
      registration,
      deps,
      ctx,
      new DesiredStateHandler(ctx, deps.registry),
      new CommandHandler(ctx, deps.registry),
    );
    await worker.bind();
    // What arrived while no worker ran (an app registered after its desired state) is acted on now.
    for (const app of deps.registry.applications.values())
      if (app.cluster === cluster) worker.onApplicationChanged(app.name);
    logger.log({
      msg: 'worker started',
      cluster,
      server: client.kubeconfig.getCurrentCluster()?.server,
    });
    return worker;
  }

  /** The app's registration changed: act on what is already known of it. */
  onApplicationChanged(app: string): void {
    if (this.stopped) return;
    this.queues
      .run(app, () => this.measured(() => this.desired.onRegistration(app)))
      .catch((error: unknown) =>
        this.ctx.logger.warn({
          msg: 'could not act on a registration change',
          app,
          cluster: this.cluster,
          error: String(error),
        }),
      );
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all(this.consumers.map((consumer) => consumer.stop(STOP_GRACE_MS)));
    // Operations not tied to a message (registration changes) get the same grace.
    const grace = new AbortController();
    await Promise.race([
      this.queues.idle(),
      sleep(STOP_GRACE_MS, undefined, { signal: grace.signal }).catch(() => undefined),
    ]);
    grace.abort();
    this.ctx.monitor.stopAll();
    this.stopReporting();
    this.ctx.logger.log({ msg: 'worker stopped', cluster: this.cluster });
  }

  private async bind(): Promise<void> {
    const { topology, nc } = this.deps;
    this.consumers = await Promise.all([
      DurableConsumer.start(
        nc,
        {
          stream: topology.streams.desired(),
          durable: `reconciler-desired-${this.cluster}`,
          filterSubject: topology.subjects.filter('desired', this.cluster),
          maxOutstanding: MAX_OUTSTANDING,
        },
        (message) => this.onDesiredState(message),
        this.ctx.logger,
      ),
      DurableConsumer.start(
        nc,
        {
          stream: topology.streams.commands(),
          durable: `reconciler-cmd-${this.cluster}`,
          filterSubject: topology.subjects.filter('cmd', this.cluster),
          maxOutstanding: MAX_OUTSTANDING,
        },
        (message) => this.onCommand(message),
        this.ctx.logger,
      ),
    ]);
    this.stopReporting = this.deps.metrics.reportBacklog(async () =>
      Promise.all(
        this.consumers.map(async (c) => ({
          cluster: this.cluster,
          consumer: c.name,
          pending: await c.backlog(),
        })),
      ),
    );
  }

  private onDesiredState(message: JsMsg): Promise<void> {
    const desired = decode(DesiredState, message.data);
    this.checkSubject(message, 'DesiredState', desired.app);
    return this.queues.run(desired.app, () =>
      this.measured(() => this.desired.onDesiredState(desired, message.seq)),
    );
  }

  private onCommand(message: JsMsg): Promise<void> {
    const command = decode(Command, message.data);
    this.checkSubject(message, 'Command', command.app);
    return this.queues.run(command.app, () =>
      this.measured(() => this.commands.onCommand(command)),
    );
  }

  /** A message about one app published on another app's subject is a producer's bug. */
  private checkSubject(message: JsMsg, contract: string, app: string): void {
    if (this.deps.topology.subjects.parse(message.subject)?.app !== app)
      throw new ContractViolation(contract, [
        { path: 'app', reason: `"${app}" does not match the subject ${message.subject}` },
      ]);
  }

  private async measured<T>(operation: () => Promise<T>): Promise<T> {
    const finished = this.deps.metrics.operationStarted(this.cluster);
    try {
      return await operation();
    } finally {
      finished();
    }
  }
}
