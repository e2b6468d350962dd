import { hasSyncOption } from '@cairn/contracts';
import type { BundleStore } from '@cairn/nats';
import type { WorkerContext } from '../workers/worker-context';
import type { SyncState } from '../sync-state/sync-state';
import { ensureWatched } from '../live/ensure-watched';
import { type AppliedResult, applyObjects } from './apply-objects';
import { ensureDestinationNamespace } from './destination-namespace';
import { dryRunAll } from './dry-run';
import { recordApplyIntent } from './inventory-intent';
import { prepareObjects } from './prepare-objects';
import { pruneStep } from './prune-step';
import { refKey, refOf } from './resource-refs';
import { SecretMask } from './secret-mask';
import { isTransient, messageOf, SyncFailure, type SyncFailureReason } from './sync-failure';
import {
  reportDryRun,
  reportSyncFailed,
  reportSyncStarted,
  reportSyncSucceeded,
} from './sync-report';
import { type SyncRequest } from './sync-request';

/**
 * One sync, top to bottom, as Flux's kustomize-controller reconciles: fetch the rendered
 * bundle, prepare its objects, create the destination namespace if asked, validate the whole
 * bundle with a server-side dry run, apply in dependency order, prune what the app no longer
 * declares, record inventory and revision, report. Every failure has a named reason; a
 * transient one (no answer, or "not now") is rethrown, so the message that asked for the
 * sync is run again: when the cluster is back if it is unreachable (ClusterWorker), else
 * on a later delivery. Returns the app's new sync state.
 */
export async function runSync(
  ctx: WorkerContext,
  state: SyncState,
  request: SyncRequest,
): Promise<SyncState> {
  const { app, revision, bundleDigest } = request;
  const startedAt = new Date().toISOString();
  const finished = ctx.metrics.syncStarted(ctx.cluster);
  let mask = SecretMask.of([]);
  const step = <T>(reason: SyncFailureReason, work: () => Promise<T>) =>
    work().catch((error: unknown) => {
      if (error instanceof SyncFailure) throw error;
      throw new SyncFailure(reason, mask.apply(messageOf(error)), [], isTransient(error));
    });

  const { cluster } = ctx;
  /** Filled as objects are applied: what a failure leaves applied is known too. */
  const partial: AppliedResult[] = [];
  await reportSyncStarted(ctx, request, startedAt);
  try {
    const bundle = await fetchBundle(ctx.bundles, bundleDigest);
    mask = SecretMask.of(bundle.objects);

    const prepared = await step('DiscoveryFailed', () =>
      prepareObjects(bundle.objects, {
        app,
        namespace: request.spec.destination.namespace ?? 'default',
        isNamespaced: (apiVersion, kind) => ctx.client.isNamespaced(apiVersion, kind),
      }),
    );

    if (hasSyncOption(request.spec, 'CreateNamespace=true'))
      await step('NamespaceFailed', () =>
        ensureDestinationNamespace(ctx.client, request.spec.destination.namespace),
      );

    await step('DryRunFailed', () => dryRunAll(ctx.client, prepared, mask));
    const declared = new Set(prepared.objects.map((o) => refKey(refOf(o))));
    const leftovers = state.inventory.filter((ref) => !declared.has(refKey(ref)));
    if (request.dryRun) {
      await reportDryRun(ctx, request, { prepared, leftovers, startedAt });
      finished('succeeded');
      return state;
    }

    const previous = ctx.applied.get(app);
    await step('StateNotRecorded', () => recordApplyIntent(ctx, app, prepared.objects));
    const results = await step('ApplyFailed', () =>
      applyObjects(ctx.client, prepared, mask, partial),
    );
    const applied = results.map((r) => refOf(r.declared));
    ctx.applied.remember(
      app,
      { revision, bundleDigest },
      results.map((r) => ({ ...r, persisted: true })),
    );
    await ensureWatched(ctx.cache, [...applied, ...leftovers], {
      logger: ctx.logger,
      cluster,
      app,
    });

    const pruned = request.prune
      ? await pruneStep(ctx, request, { applied, leftovers, previous, startedAt })
      : undefined;
    // Not pruned (prune off), held back or failed to prune: still the app's, still to be pruned.
    const pending = pruned
      ? [...pruned.failed.map((f) => f.ref), ...(pruned.heldBack?.refs ?? [])]
      : leftovers;

    const next: SyncState = {
      ...state,
      inventory: [...applied, ...pending],
      lastSynced: { revision, bundleDigest, at: new Date().toISOString() },
    };
    await step('StateNotRecorded', () => ctx.states.put(next));

    await reportSyncSucceeded(ctx, request, { applied, pruned, pending, startedAt });
    ctx.live.schedule(app);
    finished('succeeded');
    return next;
  } catch (error) {
    finished('failed');
    const failure =
      error instanceof SyncFailure
        ? error
        : new SyncFailure('ApplyFailed', mask.apply(messageOf(error)), [], true);
    ctx.applied.merge(app, partial);
    const next = await rememberPartialApply(ctx, state, failure);
    await reportSyncFailed(ctx, request, failure, { state: next, startedAt });
    if (failure.transient) throw failure;
    return next;
  }
}

/** Objects applied before a failure belong to the app: keep them in its inventory. */
async function rememberPartialApply(
  ctx: WorkerContext,
  state: SyncState,
  failure: SyncFailure,
): Promise<SyncState> {
  const known = new Set(state.inventory.map(refKey));
  const added = failure.applied.filter((ref) => !known.has(refKey(ref)));
  if (added.length === 0) return state;
  const next = { ...state, inventory: [...state.inventory, ...added] };
  await ctx.states.put(next);
  return next;
}

/** A bundle missing from the store does not appear by waiting; a store out of reach may come back. */
async function fetchBundle(bundles: BundleStore, digest: string) {
  try {
    return await bundles.get(digest);
  } catch (error) {
    const message = messageOf(error);
    const missing = /not in the bundle store|digest/.test(message);
    throw new SyncFailure('BundleUnavailable', `${message}; nothing was applied`, [], !missing);
  }
}
