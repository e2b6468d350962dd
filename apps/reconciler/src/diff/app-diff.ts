import type { DiffReply, FieldDiff, ResourceDiff, ResourceRef } from '@cairn/contracts';
import {
  diffObjects,
  type FieldDifference,
  ignoreRulesFor,
  maskSecretDifferences,
} from '@cairn/diff';
import type { KubeObject } from '@cairn/kube';
import type { KubernetesObject } from '@cairn/manifests';
import type { Registry } from '@cairn/registry';
import { registrationOn } from '../applications/registered-app';
import { ensureWatched } from '../live/ensure-watched';
import { readLive } from '../live/read-live';
import { prepareObjects } from '../sync/prepare-objects';
import { refKey, refOf } from '../sync/resource-refs';
import { SecretMask } from '../sync/secret-mask';
import { messageOf } from '../sync/sync-failure';
import type { WorkerContext } from '../workers/worker-context';

const PARALLEL_DRY_RUNS = 4;

/**
 * GET /applications/{name}/diff, answered by the reconciler of the app's cluster: each
 * declared object of the desired revision, dry-run applied (the desired form, defaulted as
 * the API server would store it), against the live object from the cache, compared in the
 * fields Cairn declares only; plus what the app owns and no longer declares. Secret values
 * are masked. Only objects that differ are listed.
 */
export async function diffApp(
  ctx: WorkerContext,
  registry: Registry,
  app: string,
): Promise<DiffReply> {
  const registration = registrationOn(registry, ctx.cluster, app);
  if (!registration)
    return notFound(`application ${app} is not registered on cluster ${ctx.cluster}`);
  const state = await ctx.states.get(ctx.cluster, app);
  const target = state.desired?.bundleDigest ? state.desired : state.lastSynced;
  if (!target?.bundleDigest)
    return notFound(
      state.desired?.renderError
        ? `nothing to compare: revision ${state.desired.revision.slice(0, 7)} of ${app} could not be rendered: ${state.desired.renderError}`
        : `nothing to compare yet: no revision of ${app} has been rendered`,
    );
  const bundle = await ctx.bundles.get(target.bundleDigest);
  const prepared = await prepareObjects(bundle.objects, {
    app,
    namespace: registration.spec.destination.namespace ?? 'default',
    isNamespaced: (apiVersion, kind) => ctx.client.isNamespaced(apiVersion, kind),
  });
  const declared = new Set(prepared.objects.map((o) => refKey(refOf(o))));
  const leftovers = state.inventory.filter((ref) => !declared.has(refKey(ref)));
  await ensureWatched(ctx.cache, [...prepared.objects.map(refOf), ...leftovers], {
    logger: ctx.logger,
    cluster: ctx.cluster,
    app,
  });
  const mask = SecretMask.of(bundle.objects);
  const compare = (desired: KubeObject | undefined, ref: ResourceRef) => {
    const live = readLive(ctx.cache, ref, ctx.applied.get(app)?.objects.get(refKey(ref))).object;
    const differences = diffObjects(desired, live, {
      ignore: ignoreRulesFor(registration.spec.ignoreDifferences, ref),
    });
    return maskSecretDifferences(desired ?? live ?? ref, differences, [desired, live]).map(
      asFieldDiff,
    );
  };

  const resources: ResourceDiff[] = [];
  await forEachLimited(prepared.objects, PARALLEL_DRY_RUNS, async (object) => {
    const ref = refOf(object);
    try {
      const desired = await ctx.client.apply<KubeObject>(object, { dryRun: true });
      const diff = compare(desired, ref);
      if (diff.length > 0) resources.push({ ...identity(ref), diff });
    } catch (error) {
      resources.push({ ...identity(ref), diff: [], error: mask.apply(messageOf(error)) });
    }
  });
  for (const ref of leftovers) {
    const diff = compare(undefined, ref);
    if (diff.length > 0) resources.push({ ...identity(ref), diff });
  }
  return {
    v: 1,
    ok: true,
    app,
    cluster: ctx.cluster,
    revision: target.revision,
    resources: resources.sort((a, b) => order(a).localeCompare(order(b))),
  };
}

/** Absent on one side travels as null, which JSON keeps. */
function asFieldDiff(d: FieldDifference): FieldDiff {
  return { path: d.path, live: d.live ?? null, desired: d.desired ?? null };
}

function identity(ref: ResourceRef) {
  const { group, kind, namespace, name } = ref;
  return namespace ? { group, kind, namespace, name } : { group, kind, name };
}

function order(r: ResourceDiff): string {
  return `${r.group}/${r.kind}/${r.namespace ?? ''}/${r.name}`;
}

function notFound(message: string): DiffReply {
  return { v: 1, ok: false, reason: 'NotFound', message };
}

async function forEachLimited(
  items: readonly KubernetesObject[],
  limit: number,
  work: (item: KubernetesObject) => Promise<void>,
) {
  let next = 0;
  const lane = async () => {
    while (next < items.length) await work(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
}
