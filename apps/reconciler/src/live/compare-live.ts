import type { IgnoreDifference, ResourceRef, SyncStatusCode } from '@cairn/contracts';
import { diffObjects, type FieldDifference, ignoreRulesFor } from '@cairn/diff';
import { describeRef, refKey } from '../sync/resource-refs';
import type { AppliedObject, AppliedRevision } from './applied-objects';
import type { LiveReading } from './read-live';

/** How one object of the app's inventory compares with what Cairn last synced. */
export interface ResourceComparison {
  ref: ResourceRef;
  status: SyncStatusCode;
  /** Drifted: the declared fields that differ, or the object is gone. */
  drift?: { missing: boolean; differences: FieldDifference[] };
  /** No longer declared, still in the inventory: prune is off, or its delete failed. */
  requiresPruning?: boolean;
}

export interface CompareInput {
  inventory: readonly ResourceRef[];
  applied: AppliedRevision;
  read: (ref: ResourceRef, applied?: AppliedObject) => LiveReading;
  ignoreDifferences?: readonly IgnoreDifference[];
}

/**
 * Compares every object of the inventory with its baseline, from memory only (the live
 * cache and the last apply's answers): a declared field that differs, or an object gone,
 * is drift. What the app no longer declares is OutOfSync until pruned.
 */
export function compareLive(input: CompareInput): ResourceComparison[] {
  return input.inventory.map((ref) => {
    const applied = input.applied.objects.get(refKey(ref));
    if (!applied) return { ref, status: 'OutOfSync', requiresPruning: true };
    const reading = input.read(ref, applied);
    if (reading.unknown) return { ref, status: 'Unknown' };
    if (!reading.object)
      return { ref, status: 'OutOfSync', drift: { missing: true, differences: [] } };
    const differences = diffObjects(applied.result, reading.object, {
      ignore: ignoreRulesFor(input.ignoreDifferences, ref),
    });
    return differences.length === 0
      ? { ref, status: 'Synced' }
      : { ref, status: 'OutOfSync', drift: { missing: false, differences } };
  });
}

/** `Deployment shop/web: spec.replicas`, `ConfigMap shop/settings: deleted`: names, never values. */
export function describeDrift(comparison: ResourceComparison): string {
  const drift = comparison.drift;
  const what = !drift
    ? 'in sync'
    : drift.missing
      ? 'deleted'
      : drift.differences.map((d) => d.path || '(whole object)').join(', ');
  return `${describeRef(comparison.ref)}: ${what}`;
}

/** What identifies a drift: the same one seen again is not announced again. */
export function driftSignature(comparison: ResourceComparison): string | undefined {
  const drift = comparison.drift;
  if (!drift) return undefined;
  return drift.missing
    ? 'deleted'
    : drift.differences
        .map((d) => d.path)
        .sort()
        .join(',');
}
