import type { ClusterRegistration } from '@cairn/contracts';
import { APP_LABEL, ClusterClient, LiveStateCache } from '@cairn/kube';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { Logger } from '@nestjs/common';
import { AppliedObjects } from '../live/applied-objects';
import { type AppQueue, LiveReconciler } from '../live/live-reconciler';
import { EventLog } from '../status/event-log';
import { StatusBoard } from '../status/status-board';
import type { WorkerContext, WorkerDependencies } from './worker-context';

/**
 * Everything a cluster's worker works with: its client and live cache (one watch per kind
 * of the objects labelled with an app, started as apps need them), status board, event log,
 * and the live reconciler that feeds cache changes into the app queues (`enqueue`).
 */
export async function createWorkerContext(
  registration: ClusterRegistration,
  deps: WorkerDependencies,
  opts: { stopping: AbortSignal; enqueue: AppQueue },
): Promise<WorkerContext> {
  const cluster = registration.name;
  const client = new ClusterClient(deps.access.kubeConfig(registration));
  const logger = new Logger(`ClusterWorker ${cluster}`);
  const cache = new LiveStateCache(client, {
    labelSelector: APP_LABEL,
    onWatchError: (kind, error, attempt) =>
      logger.warn({
        msg: 'watch failed; resumed with backoff',
        cluster,
        kind: `${kind.kind} (${kind.apiVersion})`,
        attempt,
        error: error.message,
      }),
  });
  const js = jetstream(deps.nc);
  const ctx = {
    cluster,
    client,
    cache,
    applied: new AppliedObjects(),
    bundles: deps.bundles,
    states: deps.states,
    board: new StatusBoard(cluster, deps.topology, js, await jetstreamManager(deps.nc)),
    events: new EventLog(cluster, deps.topology, js),
    metrics: deps.metrics,
    logger,
    stopping: opts.stopping,
  } as WorkerContext;
  // The live reconciler works with the context it is part of.
  ctx.live = new LiveReconciler(ctx, deps.registry, opts.enqueue, deps.resyncMs);
  return ctx;
}
