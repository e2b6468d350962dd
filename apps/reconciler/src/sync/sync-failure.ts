import type { ResourceRef } from '@cairn/contracts';
import { KubeApiError } from '@cairn/kube';

/**
 * Why a sync stopped, by name, the way Flux reports a reconciliation's reason. People read
 * the message; tools and tests read the reason.
 */
export type SyncFailureReason =
  | 'BundleUnavailable'
  | 'DiscoveryFailed'
  | 'UnknownKind'
  | 'NamespaceFailed'
  | 'DryRunFailed'
  | 'ApplyFailed'
  | 'StateNotRecorded'
  | 'RevisionNotAvailable'
  | 'RenderFailed'
  | 'NothingToSync';

export class SyncFailure extends Error {
  constructor(
    readonly reason: SyncFailureReason,
    message: string,
    /** Objects applied before the failure: they join the inventory, so prune can find them. */
    readonly applied: readonly ResourceRef[] = [],
    /** The cause may pass (cluster unreachable, overloaded): try the same message again later. */
    readonly transient = false,
  ) {
    super(message);
    this.name = 'SyncFailure';
  }
}

/**
 * An error worth retrying as is: no answer from the API server, or an answer that says
 * "not now" (conflict, too many requests, unavailable, gateway timeout). Anything else is
 * the server's verdict on the object itself, which waiting will not change; that includes
 * 500, which server-side apply answers for a field of the wrong type.
 */
export function isTransient(error: unknown): boolean {
  if (error instanceof KubeApiError) return TRANSIENT_STATUS.has(error.statusCode);
  if (error instanceof SyncFailure) return error.transient;
  return true; // network errors, timeouts: the client never got an answer
}

const TRANSIENT_STATUS = new Set([409, 429, 502, 503, 504]);

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
