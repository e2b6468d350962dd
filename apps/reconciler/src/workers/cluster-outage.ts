import type { ConnectionState } from '@cairn/kube';
import type { Registry } from '@cairn/registry';
import type { WorkerContext } from './worker-context';

/**
 * What a worker does when its cluster's API server stops answering, and when it answers
 * again (ClusterConnection decides which, and tells each transition once).
 *
 * Down: every app of the cluster is published once as sync and health Unknown, with a
 * ClusterUnreachable condition naming the cluster, its server and why. Meanwhile messages
 * that failed wait for the cluster (ClusterWorker) and nothing is compared with a cache
 * that cannot be current (LiveReconciler).
 *
 * Back: every app is published as last known, without the condition; then `resume` acts on
 * each one: a desired state recorded and not yet synced is synced, and the app is compared
 * with the cluster again. The watches have resumed by then (LiveStateCache).
 */
export function followClusterOutages(
  ctx: WorkerContext,
  registry: Registry,
  resume: (app: string) => void,
): () => void {
  return ctx.client.connection.onChange((state) => {
    onTransition(ctx, registry, state, resume).catch((error: unknown) =>
      ctx.logger.error({
        msg: 'could not publish the change of the cluster connection',
        cluster: ctx.cluster,
        error: String(error),
      }),
    );
  });
}

async function onTransition(
  ctx: WorkerContext,
  registry: Registry,
  state: ConnectionState,
  resume: (app: string) => void,
): Promise<void> {
  const apps = [...registry.applications.values()]
    .filter((registration) => registration.cluster === ctx.cluster)
    .map((registration) => registration.name);
  if (state.reachable) {
    ctx.logger.log({
      msg: 'cluster reachable again: its apps are compared and synced',
      cluster: ctx.cluster,
      apps: apps.length,
    });
    ctx.board.setReachability(state);
  } else {
    ctx.logger.warn({
      msg: 'cluster unreachable: its apps are Unknown until it is back',
      cluster: ctx.cluster,
      apps: apps.length,
      error: state.message,
    });
    ctx.board.setReachability({ ...state, message: `cluster ${ctx.cluster}: ${state.message}` });
  }
  for (const app of apps) {
    // Another transition since: it publishes every app itself.
    if (ctx.client.connection.reachable !== state.reachable) return;
    await ctx.board.republish(app).catch((error: unknown) =>
      ctx.logger.warn({
        msg: 'could not publish the status of an app',
        app,
        cluster: ctx.cluster,
        error: String(error),
      }),
    );
  }
  if (state.reachable) for (const app of apps) resume(app);
}
