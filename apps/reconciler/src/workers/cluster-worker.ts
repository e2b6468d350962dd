import { setTimeout as sleep } from 'node:timers/promises';
import {
  Command,
  ContractViolation,
  type ClusterRegistration,
  decode,
  DesiredState,
  reconcilerDurables,
} from '@cairn/contracts';
import type { JsMsg } from '@nats-io/jetstream';
import { CommandHandler } from '../applications/command-handler';
import { DesiredStateHandler } from '../applications/desired-state-handler';
import { DiffResponder } from '../diff/diff-responder';
import { AppQueues } from './app-queues';
import { followClusterOutages } from './cluster-outage';
import { DurableConsumer } from './durable-consumer';
import { measured } from './measured';
import type { WorkerContext, WorkerDependencies } from './worker-context';
import { createWorkerContext } from './worker-setup';

export type { WorkerDependencies } from './worker-context';

/**
 * Apps of one cluster synced at once; the others wait their turn. A sync spends nearly all
 * its time waiting for the API server (a dry run, then one apply after another), so a cluster
 * of hundreds of apps needs dozens in flight to converge in minutes (bench/scale: 8 took
 * three minutes for 500 apps a cluster); each holds at most a few requests open.
 */
const PARALLEL_APPS = 32;
/** Messages taken from a consumer and not yet acknowledged, at most. */
const MAX_OUTSTANDING = 64;
/** How long a stopping worker lets operations in hand finish; the rest are redelivered. */
const STOP_GRACE_MS = 3_000;

/**
 * The reconciler of one cluster: two durable consumers (desired states and commands for
 * this cluster's apps) feeding per-app queues, so each app's operations run in order and
 * different apps run in parallel; a live cache of the cluster's Cairn-labelled objects,
 * whose changes feed the same queues (drift, self-heal, health); and the answer to diff
 * requests for its apps. While its cluster cannot be reached, its apps say so and the
 * messages they failed on wait for it (see cluster-outage.ts); other clusters' workers
 * share nothing with it but the process.
 */
export class ClusterWorker {
  private consumers: DurableConsumer[] = [];
  private stopReporting: () => void = () => undefined;
  private stopFollowing: () => void = () => undefined;
  private stopped = false;
  private diffs?: DiffResponder;

  private constructor(
    readonly registration: ClusterRegistration,
    private readonly deps: WorkerDependencies,
    private readonly ctx: WorkerContext,
    private readonly desired: DesiredStateHandler,
    private readonly commands: CommandHandler,
    private readonly queues: AppQueues,
    private readonly stopping: AbortController,
  ) {}

  get cluster(): string {
    return this.registration.name;
  }

  static async start(
    registration: ClusterRegistration,
    deps: WorkerDependencies,
  ): Promise<ClusterWorker> {
    const stopping = new AbortController();
    const queues = new AppQueues(PARALLEL_APPS);
    const ctx = await createWorkerContext(registration, deps, {
      stopping: stopping.signal,
      enqueue: (app, work) =>
        queues.run(app, () => measured(deps.metrics, registration.name, work)),
    });
    const worker = new ClusterWorker(
      registration,
      deps,
      ctx,
      new DesiredStateHandler(ctx, deps.registry),
      new CommandHandler(ctx, deps.registry),
      queues,
      stopping,
    );
    ctx.live.start();
    worker.stopFollowing = followClusterOutages(ctx, deps.registry, (app) =>
      worker.onApplicationChanged(app),
    );
    // A cluster already down is noticed now, not at the first request that fails.
    void ctx.client.connection.check();
    await worker.bind();
    worker.diffs = DiffResponder.start(ctx, deps);
    // What arrived while no worker ran (an app registered after its desired state) is acted on now.
    for (const app of deps.registry.applications.values())
      if (app.cluster === ctx.cluster) worker.onApplicationChanged(app.name);
    ctx.logger.log({
      msg: 'worker started',
      cluster: ctx.cluster,
      server: ctx.client.kubeconfig.getCurrentCluster()?.server,
    });
    return worker;
  }

  /** The app's registration changed: act on what is already known of it, and compare it again. */
  onApplicationChanged(app: string): void {
    if (this.stopped) return;
    this.queues
      .run(app, () => this.measured(() => this.desired.onRegistration(app)))
      .then(() => this.ctx.live.schedule(app))
      .catch((error: unknown) =>
        this.ctx.logger.warn({
          msg: 'could not act on a registration change',
          app,
          cluster: this.cluster,
          error: String(error),
        }),
      );
  }

  /** Settles once every operation queued so far has finished (after `stop`: before a handover). */
  idle(): Promise<void> {
    return this.queues.idle();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.diffs?.stop();
    this.ctx.live.stop();
    this.stopFollowing();
    this.ctx.client.connection.stop();
    this.stopping.abort();
    await Promise.all(this.consumers.map((consumer) => consumer.stop(STOP_GRACE_MS)));
    // Operations not tied to a message (registration changes) get the same grace.
    const grace = new AbortController();
    await Promise.race([
      this.queues.idle(),
      sleep(STOP_GRACE_MS, undefined, { signal: grace.signal }).catch(() => undefined),
    ]);
    grace.abort();
    this.ctx.cache.stop();
    this.stopReporting();
    this.ctx.logger.log({ msg: 'worker stopped', cluster: this.cluster });
  }

  private async bind(): Promise<void> {
    const { topology, nc } = this.deps;
    // Named by cluster, as an agent's NATS permissions name them (agentNatsPermissions).
    const durables = reconcilerDurables(this.cluster);
    this.consumers = await Promise.all([
      DurableConsumer.start(
        nc,
        {
          stream: topology.streams.desired(),
          durable: durables.desired,
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
          durable: durables.commands,
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
    return this.whileReachable(() =>
      this.queues.run(desired.app, () =>
        this.measured(() => this.desired.onDesiredState(desired, message.seq)),
      ),
    );
  }

  private onCommand(message: JsMsg): Promise<void> {
    const command = decode(Command, message.data);
    this.checkSubject(message, 'Command', command.app);
    return this.whileReachable(() =>
      this.queues.run(command.app, () => this.measured(() => this.commands.onCommand(command))),
    );
  }

  /**
   * Runs a message's work; when it fails because the cluster cannot be reached, keeps the
   * message (unacknowledged, kept alive) and runs the work again as soon as the cluster is
   * back, rather than leaving it to a redelivery minutes later. Any other failure is the
   * consumer's to retry. The wait holds no app queue slot, so it blocks nothing.
   */
  private async whileReachable(work: () => Promise<void>): Promise<void> {
    const { connection } = this.ctx.client;
    for (;;) {
      const before = connection.state;
      try {
        return await work();
      } catch (error) {
        if (error instanceof ContractViolation || this.stopped) throw error;
        // Reachable now and all along (no transition since the work began): not the outage's doing.
        if ((await connection.check()) && connection.state === before) throw error;
        if (!(await connection.whenReachable(this.stopping.signal))) throw error;
      }
    }
  }

  /** A message about one app published on another app's subject is a producer's bug. */
  private checkSubject(message: JsMsg, contract: string, app: string): void {
    if (this.deps.topology.subjects.parse(message.subject)?.app !== app)
      throw new ContractViolation(contract, [
        { path: 'app', reason: `"${app}" does not match the subject ${message.subject}` },
      ]);
  }

  private measured<T>(operation: () => Promise<T>): Promise<T> {
    return measured(this.deps.metrics, this.cluster, operation);
  }
}
