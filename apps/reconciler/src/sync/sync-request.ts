import type { ApplicationSpec } from '@cairn/contracts';

/** One sync operation to run: what to deploy, where, how, and on whose behalf. */
export interface SyncRequest {
  app: string;
  spec: ApplicationSpec;
  revision: string;
  bundleDigest: string;
  /** Delete what the app owned before and no longer declares. */
  prune: boolean;
  /** Validate and report what would change, applying nothing. */
  dryRun: boolean;
  /** A user name, or "automated". */
  initiatedBy: string;
  /** For people: "new commit on main", "sync requested", "rollback to history 3". */
  reason: string;
}

export function shortRevision(revision: string): string {
  return revision.slice(0, 7);
}
