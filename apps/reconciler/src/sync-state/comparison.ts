import type { AppStatus, SyncStatusCode } from '@cairn/contracts';
import type { SyncState } from './sync-state';

/**
 * The app's sync status from what the reconciler knows without a live diff: Unknown when
 * the desired state cannot be rendered (Argo CD's answer to a ComparisonError), OutOfSync
 * when git declares another bundle than the one applied, or when objects await pruning.
 */
export function compareWithDesired(
  state: SyncState,
  resources: AppStatus['resources'],
): AppStatus['sync'] {
  const revision = state.lastSynced?.revision;
  const { desired, lastSynced } = state;
  let status: SyncStatusCode;
  if (desired?.renderError) status = 'Unknown';
  else if (!desired) status = lastSynced ? 'Synced' : 'Unknown';
  else status = desired.bundleDigest === lastSynced?.bundleDigest ? 'Synced' : 'OutOfSync';
  if (status === 'Synced' && resources.some((r) => r.status === 'OutOfSync')) status = 'OutOfSync';
  return revision ? { status, revision } : { status };
}
