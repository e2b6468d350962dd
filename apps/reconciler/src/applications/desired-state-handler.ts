import type { DesiredState } from '@cairn/contracts';
import type { Registry } from '@cairn/registry';
import { runSync } from '../sync/sync-operation';
import { shortRevision } from '../sync/sync-request';
import { clearConditions, setCondition } from '../status/conditions';
import { compareWithDesired } from '../sync-state/comparison';
import { isSynced, type SyncState } from '../sync-state/sync-state';
import type { WorkerContext } from '../workers/worker-context';
import { registrationOn } from './registered-app';

/**
 * What a reconciler does with an app's desired state: remember it, then sync now if the app
 * is automated, or report it OutOfSync and wait for a sync command. Idempotent: a desired
 * state already handled (the same message again, or what is already applied) changes nothing.
 */
export class DesiredStateHandler {
  constructor(
    private readonly ctx: WorkerContext,
    private readonly registry: Registry,
  ) {}

  /** `sequence`: the message's stream sequence, so a late redelivery never undoes a newer one. */
  async onDesiredState(desired: DesiredState, sequence: number): Promise<void> {
    const state = await this.ctx.states.get(this.ctx.cluster, desired.app);
    const log = { app: desired.app, cluster: this.ctx.cluster, revision: desired.revision };
    if (sequence < state.desiredSequence) {
      this.ctx.logger.log({ ...log, msg: 'older desired state ignored', sequence });
      return;
    }
    if (isSynced(state, desired) || sameDesired(state.desired, desired)) {
      this.ctx.logger.debug({ ...log, msg: 'desired state already handled' });
      return;
    }
    const next = await this.reconcile({ ...state, desired, desiredSequence: sequence });
    // Recorded last: if the process dies before this, the redelivered message is handled again.
    await this.ctx.states.put(next);
  }

  /** The app's registration changed or the worker started: act on what it already knows. */
  async onRegistration(app: string): Promise<void> {
    const state = await this.ctx.states.get(this.ctx.cluster, app);
    if (!state.desired || isSynced(state, state.desired)) return;
    await this.ctx.states.put(await this.reconcile(state));
  }

  private async reconcile(state: SyncState): Promise<SyncState> {
    const { app, desired } = state;
    if (!desired) return state;
    if (desired.renderError) {
      await this.reportRenderError(state, desired.revision, desired.renderError);
      return state;
    }
    const registration = registrationOn(this.registry, this.ctx.cluster, app);
    if (!registration) {
      this.ctx.logger.warn({
        msg: 'desired state for an app not registered on this cluster; kept until it is',
        app,
        cluster: this.ctx.cluster,
        revision: desired.revision,
      });
      return state;
    }
    const automated = registration.spec.syncPolicy.automated;
    if (automated && desired.bundleDigest && !isSynced(state, desired))
      return runSync(this.ctx, state, {
        app,
        spec: registration.spec,
        revision: desired.revision,
        bundleDigest: desired.bundleDigest,
        prune: automated.prune,
        dryRun: false,
        initiatedBy: 'automated',
        reason: desired.reason,
      });
    return this.reportComparison(state);
  }

  /** Nothing is applied; the app keeps running what it last synced (Argo CD's behaviour). */
  private async reportRenderError(state: SyncState, revision: string, renderError: string) {
    const message = `cannot render revision ${shortRevision(revision)}: ${renderError}`;
    await this.ctx.board.update(state.app, (status) => ({
      sync: compareWithDesired(state, status.resources),
      conditions: setCondition(status.conditions, 'ComparisonError', message),
    }));
    await this.ctx.events.emit(state.app, 'SyncFailed', message, {
      revision,
      reason: 'RenderFailed',
    });
    this.ctx.logger.warn({
      msg: 'render failed',
      app: state.app,
      cluster: this.ctx.cluster,
      revision,
      error: renderError,
    });
  }

  /** Not automated: say how the desired state compares with what is applied, and wait. */
  private async reportComparison(state: SyncState): Promise<SyncState> {
    const { desired, lastSynced } = state;
    // The same bundle under a new commit is already deployed: synced at that commit.
    const next =
      desired?.bundleDigest && lastSynced && desired.bundleDigest === lastSynced.bundleDigest
        ? { ...state, lastSynced: { ...lastSynced, revision: desired.revision } }
        : state;
    await this.ctx.board.update(state.app, (status) => ({
      sync: compareWithDesired(next, status.resources),
      conditions: clearConditions(status.conditions, 'ComparisonError'),
    }));
    return next;
  }
}

function sameDesired(a: DesiredState | undefined, b: DesiredState): boolean {
  return (
    a?.revision === b.revision &&
    a.bundleDigest === b.bundleDigest &&
    a.renderError === b.renderError
  );
}
