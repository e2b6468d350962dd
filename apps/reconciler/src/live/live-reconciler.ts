import type { AppStatus, ApplicationRegistration, ResourceStatus } from '@cairn/contracts';
import { APP_LABEL, type CacheEvent } from '@cairn/kube';
import type { Registry } from '@cairn/registry';
import { registrationOn } from '../applications/registered-app';
import { assessResources, withHealth } from '../health/assess-resources';
import { announceHealthChange } from '../health/health-events';
import { describeRefs, refKey } from '../sync/resource-refs';
import { shortRevision } from '../sync/sync-request';
import { compareWithDesired } from '../sync-state/comparison';
import type { LastSynced, SyncState } from '../sync-state/sync-state';
import type { WorkerContext } from '../workers/worker-context';
import type { AppliedRevision } from './applied-objects';
import { compareLive, describeDrift, type ResourceComparison } from './compare-live';
import { DriftMemory } from './drift-memory';
import { ensureWatched } from './ensure-watched';
import { readLive } from './read-live';
import { restoreApplied } from './restore-applied';
import { retryPrune } from './retry-prune';
import { SelfHeal } from './self-heal';

/** Runs work in the app's queue, after whatever the app is doing now. */
export type AppQueue = (app: string, work: () => Promise<void>) => Promise<void>;

/**
 * Keeps every app's status true to the live cluster between syncs: each change the cache
 * hears of sets off a comparison of the app it belongs to (coalesced, in the app's queue,
 * so never during its sync), from memory only. Drift makes the app OutOfSync with a
 * DriftDetected event, and is reverted when self-heal is on; health changes are published
 * with a HealthChanged event. A periodic resync compares every app again and retries
 * prunes that failed.
 */
export class LiveReconciler {
  private readonly pending = new Map<string, { retryPrune: boolean }>();
  /** Per app, the one timer that compares it again when a held-back revert may run. */
  private readonly timers = new Map<string, { at: number; timer: NodeJS.Timeout }>();
  private readonly drift = new DriftMemory();
  private readonly heal: SelfHeal;
  private stopListening: () => void = () => undefined;
  private resync?: NodeJS.Timeout;
  private stopped = false;

  constructor(
    private readonly ctx: WorkerContext,
    private readonly registry: Registry,
    private readonly enqueue: AppQueue,
    private readonly resyncMs: number,
  ) {
    this.heal = new SelfHeal(ctx, (app, ms) => this.later(app, ms));
  }

  start(): void {
    this.stopListening = this.ctx.cache.onChange((event) => this.onChange(event));
    this.resync = setInterval(() => this.resyncAll(), this.resyncMs);
    this.resync.unref();
  }

  stop(): void {
    this.stopped = true;
    this.stopListening();
    clearInterval(this.resync);
    for (const { timer } of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }

  /** Compares the app with the cluster soon, once however often it is asked before that. */
  schedule(app: string, opts: { retryPrune?: boolean } = {}): void {
    if (this.stopped) return;
    const pending = this.pending.get(app);
    if (pending) {
      pending.retryPrune ||= opts.retryPrune ?? false;
      return;
    }
    const entry = { retryPrune: opts.retryPrune ?? false };
    this.pending.set(app, entry);
    this.enqueue(app, async () => {
      this.pending.delete(app);
      await this.evaluate(app, entry);
    }).catch((error: unknown) =>
      this.ctx.logger.warn({
        msg: 'could not compare the app with the cluster; retried on its next change',
        app,
        cluster: this.ctx.cluster,
        error: error instanceof Error ? error.message : String(error),
      }),
    );
  }

  /** The app is gone: forget all that was kept about it. */
  forget(app: string): void {
    this.drift.forget(app);
    this.heal.forget(app);
    clearTimeout(this.timers.get(app)?.timer);
    this.timers.delete(app);
    this.ctx.applied.forget(app);
  }

  /**
   * Compares the app with the cluster now (call it from the app's queue): publishes the
   * status if anything changed, announces drift and health changes, reverts drift if
   * self-heal is on. Returns the published status.
   */
  async evaluate(app: string, opts: { retryPrune?: boolean } = {}): Promise<AppStatus | undefined> {
    const registration = registrationOn(this.registry, this.ctx.cluster, app);
    if (!registration || this.stopped) return undefined;
    // The cache cannot be current while the cluster is unreachable; its return compares every app.
    if (!this.ctx.client.connection.reachable) return undefined;
    const state = await this.ctx.states.get(this.ctx.cluster, app);
    if (!state.lastSynced) return undefined;
    const applied = await this.baseline(app, registration, state.lastSynced);
    await ensureWatched(this.ctx.cache, state.inventory, {
      logger: this.ctx.logger,
      cluster: this.ctx.cluster,
      app,
    });
    const comparisons = compareLive({
      inventory: state.inventory,
      applied,
      read: (ref, object) => readLive(this.ctx.cache, ref, object),
      ignoreDifferences: registration.spec.ignoreDifferences,
    });
    const status = await this.publish(app, state, applied, comparisons);

    const automated = registration.spec.syncPolicy.automated;
    const drifted = comparisons.filter((c) => c.drift);
    if (automated?.selfHeal && drifted.length > 0) await this.heal.revert(app, applied, drifted);
    const leftovers = comparisons.filter((c) => c.requiresPruning).map((c) => c.ref);
    if (opts.retryPrune && automated?.prune && leftovers.length > 0)
      await retryPrune(this.ctx, app, state, leftovers);
    return status;
  }

  private async publish(
    app: string,
    state: SyncState,
    applied: AppliedRevision,
    comparisons: readonly ResourceComparison[],
  ): Promise<AppStatus> {
    const assessed = assessResources(state.inventory, (ref) =>
      readLive(this.ctx.cache, ref, applied.objects.get(refKey(ref))),
    );
    const resources: ResourceStatus[] = withHealth(
      comparisons.map((c) => ({ ...c.ref, status: c.status })),
      assessed,
    );
    const before = await this.ctx.board.current(app);
    const change = {
      sync: compareWithDesired(state, resources),
      health: assessed.health,
      resources,
    };
    const after =
      JSON.stringify([before.sync, before.health, before.resources]) ===
      JSON.stringify([change.sync, change.health, change.resources])
        ? before
        : await this.ctx.board.update(app, change);

    const fresh = this.drift.announce(app, before, comparisons);
    if (fresh.length > 0) {
      const message = `drift from ${shortRevision(applied.revision)}: ${fresh.map(describeDrift).join('; ')}`;
      await this.ctx.events.emit(app, 'DriftDetected', message, {
        revision: applied.revision,
        reason: 'LiveStateChanged',
        resources: fresh.map((c) => c.ref),
      });
      this.ctx.logger.log({
        msg: 'drift detected',
        app,
        cluster: this.ctx.cluster,
        revision: applied.revision,
        drift: fresh.map(describeDrift),
      });
    }
    await announceHealthChange(this.ctx.events, before, after);
    return after;
  }

  /** What the app last synced: kept from the sync, or rebuilt once after a restart. */
  private async baseline(
    app: string,
    registration: ApplicationRegistration,
    lastSynced: LastSynced,
  ): Promise<AppliedRevision> {
    const kept = this.ctx.applied.get(app);
    if (kept?.bundleDigest === lastSynced.bundleDigest) return kept;
    const restored = await restoreApplied(this.ctx, app, registration.spec, lastSynced);
    this.ctx.logger.log({
      msg: 'baseline rebuilt from the last synced revision',
      app,
      cluster: this.ctx.cluster,
      revision: lastSynced.revision,
      objects: describeRefs([...restored.objects.values()].map((o) => o.ref)),
    });
    return restored;
  }

  private onChange(event: CacheEvent): void {
    const app = event.object.metadata.labels?.[APP_LABEL];
    if (app && registrationOn(this.registry, this.ctx.cluster, app)) this.schedule(app);
  }

  private resyncAll(): void {
    for (const registration of this.registry.applications.values())
      if (registration.cluster === this.ctx.cluster)
        this.schedule(registration.name, { retryPrune: true });
  }

  private later(app: string, ms: number): void {
    const at = Date.now() + ms;
    const existing = this.timers.get(app);
    if (this.stopped || (existing && existing.at <= at)) return;
    if (existing) clearTimeout(existing.timer);
    const timer = setTimeout(() => {
      this.timers.delete(app);
      this.schedule(app);
    }, ms);
    timer.unref();
    this.timers.set(app, { at, timer });
  }
}
