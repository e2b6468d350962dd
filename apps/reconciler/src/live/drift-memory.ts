import type { AppStatus } from '@cairn/contracts';
import { refKey } from '../sync/resource-refs';
import { driftSignature, type ResourceComparison } from './compare-live';

/** Drift reported before this process started: it was announced, what exactly is not known. */
const REPORTED_BEFORE = '?';

/**
 * Which drift of each app was already announced, so DriftDetected says each drift once:
 * when it appears, or when it becomes a different drift. A process that starts afresh
 * takes what its last published status showed OutOfSync as announced already.
 */
export class DriftMemory {
  private readonly apps = new Map<string, Map<string, string>>();

  /** Takes the comparison as the new state; returns the drifts not announced before. */
  announce(app: string, status: AppStatus, comparisons: readonly ResourceComparison[]) {
    const previous = this.apps.get(app) ?? this.fromStatus(status);
    const current = new Map<string, string>();
    const fresh: ResourceComparison[] = [];
    for (const comparison of comparisons) {
      const signature = driftSignature(comparison);
      if (!signature) continue;
      const key = refKey(comparison.ref);
      const before = previous.get(key);
      current.set(key, signature);
      if (before === undefined || (before !== REPORTED_BEFORE && before !== signature))
        fresh.push(comparison);
    }
    this.apps.set(app, current);
    return fresh;
  }

  forget(app: string): void {
    this.apps.delete(app);
  }

  private fromStatus(status: AppStatus): Map<string, string> {
    return new Map(
      status.resources
        .filter((r) => r.status === 'OutOfSync')
        .map((r) => [refKey(r), REPORTED_BEFORE] as const),
    );
  }
}
