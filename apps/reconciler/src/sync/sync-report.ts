import type { ResourceRef, ResourceStatus } from '@cairn/contracts';
import { assessResources, withHealth } from '../health/assess-resources';
import { announceHealthChange } from '../health/health-events';
import { readLive } from '../live/read-live';
import { clearConditions, setCondition } from '../status/conditions';
import { isSynced, type SyncState } from '../sync-state/sync-state';
import type { WorkerContext } from '../workers/worker-context';
import type { PreparedObjects } from './prepare-objects';
import type { PruneStepResult } from './prune-step';
import { describeRefs, refKey, refOf } from './resource-refs';
import type { SyncFailure } from './sync-failure';
import { shortRevision, type SyncRequest } from './sync-request';

/**
 * What a sync tells the world at each stage: the status snapshot, the events, one log line.
 * Kept apart from runSync so that the sync itself reads as the steps it takes.
 */

export async function reportSyncStarted(
  ctx: WorkerContext,
  request: SyncRequest,
  startedAt: string,
) {
  const what = `${request.dryRun ? 'dry run of' : 'sync to'} ${shortRevision(request.revision)}`;
  const message = `${what} (${request.reason}), initiated by ${request.initiatedBy}`;
  await ctx.events.emit(request.app, 'SyncStarted', message, { revision: request.revision });
  await ctx.board.update(request.app, { operationState: { phase: 'Running', message, startedAt } });
}

export async function reportSyncSucceeded(
  ctx: WorkerContext,
  request: SyncRequest,
  outcome: {
    applied: ResourceRef[];
    pruned?: PruneStepResult;
    pending: ResourceRef[];
    startedAt: string;
  },
) {
  const { app, revision } = request;
  const { applied, pruned, pending } = outcome;
  const why = !pruned ? 'prune is off' : (pruned.heldBack?.reason ?? 'their delete failed');
  const notes = [
    `applied ${applied.length} objects`,
    pruned && `pruned ${pruned.pruned.length}`,
    pending.length > 0 && `${pending.length} require pruning (${why}): ${describeRefs(pending)}`,
    pruned?.disowned.length &&
      `left alone ${describeRefs(pruned.disowned)}: no longer carries this app's tracking annotation`,
  ].filter(Boolean);
  const message = `synced ${shortRevision(revision)}: ${notes.join('; ')}`;

  const resources: ResourceStatus[] = [
    ...applied.map((ref) => ({ ...ref, status: 'Synced' as const })),
    ...pending.map((ref) => ({ ...ref, status: 'OutOfSync' as const })),
  ];
  // Health is assessed before the status goes out, so "Synced" never shows a stale "Healthy":
  // from the live cache, or the apply's own answer where the cache has not caught up yet.
  const baseline = ctx.applied.get(app);
  const assessed = assessResources([...applied, ...pending], (ref) =>
    readLive(ctx.cache, ref, baseline?.objects.get(refKey(ref))),
  );
  const before = await ctx.board.current(app);
  const after = await ctx.board.update(app, (status) => ({
    sync: { status: pending.length > 0 ? 'OutOfSync' : 'Synced', revision },
    health: assessed.health,
    resources: withHealth(resources, assessed),
    operationState: {
      phase: 'Succeeded',
      message,
      startedAt: outcome.startedAt,
      finishedAt: new Date().toISOString(),
    },
    conditions: clearConditions(
      status.conditions,
      'SyncError',
      'ComparisonError',
      'ClusterUnreachable',
    ),
  }));

  await ctx.events.emit(app, 'Applied', `applied ${applied.length} objects`, {
    revision,
    resources: applied,
  });
  if (pruned && pruned.pruned.length > 0)
    await ctx.events.emit(app, 'Pruned', `pruned ${describeRefs(pruned.pruned)}`, {
      revision,
      resources: pruned.pruned,
    });
  if (pruned && pruned.failed.length > 0)
    await ctx.events.emit(
      app,
      'PruneFailed',
      `could not prune ${pruned.failed.length} objects, retried at the next sync: ${pruned.failed.map((f) => f.message).join('; ')}`,
      { revision, reason: 'PruneFailed', resources: pruned.failed.map((f) => f.ref) },
    );
  // The bundle deployed, so the api's history can redeploy exactly it on a rollback.
  await ctx.events.emit(app, 'SyncSucceeded', message, {
    revision,
    bundleDigest: request.bundleDigest,
  });
  await announceHealthChange(ctx.events, before, after);
  ctx.logger.log({
    msg: 'sync succeeded',
    app,
    cluster: ctx.cluster,
    revision,
    applied: applied.length,
    pruned: pruned?.pruned.length ?? 0,
    pending: pending.length,
  });
}

export async function reportSyncFailed(
  ctx: WorkerContext,
  request: SyncRequest,
  failure: SyncFailure,
  context: { state: SyncState; startedAt: string },
) {
  const { app, revision } = request;
  const message = `${request.dryRun ? 'dry run' : 'sync'} to ${shortRevision(revision)} failed (${failure.reason}): ${failure.message}`;
  const operationState = {
    // Argo CD's distinction: Failed is the sync's own fault, Error is the surroundings'.
    phase: failure.transient ? ('Error' as const) : ('Failed' as const),
    message,
    startedAt: context.startedAt,
    finishedAt: new Date().toISOString(),
  };
  // The cluster is gone: the status says so already (ClusterUnreachable), and the sync is
  // retried when it is back; what is known of the app has not changed.
  const unreachable = failure.transient && !(await ctx.client.connection.check());
  await ctx.board.update(app, (status) =>
    unreachable
      ? { operationState }
      : {
          // A dry run, or a sync of what is already deployed, changes nothing about sync status.
          sync:
            request.dryRun || isSynced(context.state, request)
              ? status.sync
              : { status: 'OutOfSync', revision: context.state.lastSynced?.revision },
          operationState,
          conditions: setCondition(status.conditions, 'SyncError', message),
        },
  );
  await ctx.events.emit(app, 'SyncFailed', message, { revision, reason: failure.reason });
  const log = {
    msg: 'sync failed',
    app,
    cluster: ctx.cluster,
    revision,
    reason: failure.reason,
    error: failure.message,
  };
  if (failure.transient) ctx.logger.warn({ ...log, retry: true });
  else ctx.logger.error(log);
}

export async function reportDryRun(
  ctx: WorkerContext,
  request: SyncRequest,
  outcome: { prepared: PreparedObjects; leftovers: ResourceRef[]; startedAt: string },
) {
  const { app, revision } = request;
  const wouldApply = outcome.prepared.objects.map(refOf);
  const pruneNote =
    outcome.leftovers.length === 0
      ? 'nothing to prune'
      : `${request.prune ? 'would prune' : 'would leave (prune is off)'} ${describeRefs(outcome.leftovers)}`;
  const message = `dry run of ${shortRevision(revision)} passed, nothing was applied: would apply ${describeRefs(wouldApply)}; ${pruneNote}`;
  await ctx.board.update(app, {
    operationState: {
      phase: 'Succeeded',
      message,
      startedAt: outcome.startedAt,
      finishedAt: new Date().toISOString(),
    },
  });
  await ctx.events.emit(app, 'SyncSucceeded', message, {
    revision,
    reason: 'DryRun',
    resources: [...wouldApply, ...outcome.leftovers],
  });
}

/** An operation refused before it started: nothing to sync, or not what was asked for. */
export async function reportOperationRejected(
  ctx: WorkerContext,
  app: string,
  rejection: { reason: SyncFailure['reason']; message: string; revision?: string },
) {
  const now = new Date().toISOString();
  await ctx.board.update(app, {
    operationState: {
      phase: 'Failed',
      message: rejection.message,
      startedAt: now,
      finishedAt: now,
    },
  });
  await ctx.events.emit(app, 'SyncFailed', rejection.message, {
    reason: rejection.reason,
    revision: rejection.revision,
  });
  ctx.logger.warn({ msg: 'operation rejected', app, cluster: ctx.cluster, ...rejection });
}
