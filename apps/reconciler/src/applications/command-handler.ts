import type { Command, DeleteCommand, RollbackCommand, SyncCommand } from '@cairn/contracts';
import type { Registry } from '@cairn/registry';
import { ensureWatched } from '../live/ensure-watched';
import { prune } from '../sync/prune';
import { describeRefs } from '../sync/resource-refs';
import { runSync } from '../sync/sync-operation';
import { shortRevision } from '../sync/sync-request';
import { reportOperationRejected } from '../sync/sync-report';
import { compareWithDesired } from '../sync-state/comparison';
import { rememberCommand, type SyncState } from '../sync-state/sync-state';
import type { WorkerContext } from '../workers/worker-context';
import { registrationOn } from './registered-app';

/**
 * What users ask of an app on this cluster: sync (or its dry run), rollback, refresh,
 * delete. A command id already run is not run again, so a redelivered command is a no-op.
 */
export class CommandHandler {
  constructor(
    private readonly ctx: WorkerContext,
    private readonly registry: Registry,
  ) {}

  async onCommand(command: Command): Promise<void> {
    const state = await this.ctx.states.get(this.ctx.cluster, command.app);
    if (state.recentCommands.includes(command.id)) return;
    this.ctx.logger.log({
      msg: `${command.op} command`,
      app: command.app,
      cluster: this.ctx.cluster,
      id: command.id,
      initiatedBy: command.initiatedBy,
    });
    if (command.op === 'delete') return this.delete(state, command);
    const next =
      command.op === 'sync'
        ? await this.sync(state, command)
        : command.op === 'rollback'
          ? await this.rollback(state, command)
          : await this.refresh(state);
    await this.ctx.states.put(rememberCommand(next, command.id));
  }

  /** Syncs the latest desired state; another revision cannot be synced yet, and says so. */
  private async sync(state: SyncState, command: SyncCommand): Promise<SyncState> {
    const registration = registrationOn(this.registry, this.ctx.cluster, state.app);
    const { desired } = state;
    const reject = async (
      reason: 'NothingToSync' | 'RevisionNotAvailable' | 'RenderFailed',
      message: string,
    ) => {
      await reportOperationRejected(this.ctx, state.app, {
        reason,
        message,
        revision: command.revision,
      });
      return state;
    };
    if (!registration)
      return reject(
        'NothingToSync',
        `application ${state.app} is not registered on cluster ${this.ctx.cluster}`,
      );
    if (!desired)
      return reject(
        'NothingToSync',
        `nothing to sync yet: no revision of ${registration.spec.source.repoURL} has been rendered for ${state.app}`,
      );
    if (command.revision && command.revision !== desired.revision)
      return reject(
        'RevisionNotAvailable',
        `cannot sync revision ${shortRevision(command.revision)}: only the latest desired revision (${shortRevision(desired.revision)}) can be synced; use rollback for a revision in the history`,
      );
    if (!desired.bundleDigest)
      return reject(
        'RenderFailed',
        `cannot sync revision ${shortRevision(desired.revision)}: it could not be rendered: ${desired.renderError}`,
      );
    return runSync(this.ctx, state, {
      app: state.app,
      spec: registration.spec,
      revision: desired.revision,
      bundleDigest: desired.bundleDigest,
      prune: command.prune ?? registration.spec.syncPolicy.automated?.prune ?? false,
      dryRun: command.dryRun ?? false,
      initiatedBy: command.initiatedBy,
      reason: command.dryRun ? 'dry run requested' : 'sync requested',
    });
  }

  private async rollback(state: SyncState, command: RollbackCommand): Promise<SyncState> {
    const registration = registrationOn(this.registry, this.ctx.cluster, state.app);
    if (!registration) {
      await reportOperationRejected(this.ctx, state.app, {
        reason: 'NothingToSync',
        message: `application ${state.app} is not registered on cluster ${this.ctx.cluster}`,
        revision: command.revision,
      });
      return state;
    }
    return runSync(this.ctx, state, {
      app: state.app,
      spec: registration.spec,
      revision: command.revision,
      bundleDigest: command.bundleDigest,
      // A rolled-back app has automated sync (and its prune) removed: the api sends the policy along.
      prune: command.prune ?? registration.spec.syncPolicy.automated?.prune ?? false,
      dryRun: false,
      initiatedBy: command.initiatedBy,
      reason: `rollback to history ${command.historyId}`,
    });
  }

  /** Compares the app with the live cache now and republishes the status. */
  private async refresh(state: SyncState): Promise<SyncState> {
    const compared = await this.ctx.live.evaluate(state.app);
    // Never synced here: there is nothing live to compare, only the desired state.
    if (!compared)
      await this.ctx.board.update(state.app, (status) => ({
        sync: compareWithDesired(state, status.resources),
      }));
    return state;
  }

  /** Cascading: deletes what the app owns (tracked objects only), then forgets the app. */
  private async delete(state: SyncState, command: DeleteCommand): Promise<void> {
    const { app } = state;
    if (command.cascade)
      await ensureWatched(this.ctx.cache, state.inventory, {
        logger: this.ctx.logger,
        cluster: this.ctx.cluster,
        app,
      });
    const deleted = command.cascade
      ? await prune(this.ctx, app, state.inventory, this.ctx.applied.get(app))
      : undefined;
    if (deleted && deleted.failed.length > 0) {
      await this.ctx.states.put({ ...state, inventory: deleted.failed.map((f) => f.ref) });
      const message = `could not delete ${deleted.failed.length} objects of ${app}, retrying: ${deleted.failed.map((f) => f.message).join('; ')}`;
      await this.ctx.events.emit(app, 'PruneFailed', message, {
        reason: 'DeleteFailed',
        resources: deleted.failed.map((f) => f.ref),
      });
      // Thrown so that the command is delivered again later and the rest is retried.
      throw new Error(message);
    }
    await this.ctx.states.delete(this.ctx.cluster, app);
    this.ctx.live.forget(app);
    const message = deleted
      ? `deleted ${app} and ${deleted.pruned.length} of its objects${deleted.pruned.length ? `: ${describeRefs(deleted.pruned)}` : ''}`
      : `deleted ${app}; its objects were left in the cluster (cascade=false)`;
    await this.ctx.events.emit(
      app,
      'AppDeleted',
      message,
      deleted ? { resources: deleted.pruned } : {},
    );
    await this.ctx.board.remove(app);
  }
}
