import type { SyncHistoryEntity } from '@cairn/persistence';

/** An entry as `status.history` shows it: Argo CD's RevisionHistory. */
export interface HistorySummary {
  id: number;
  revision: string;
  deployedAt: string;
  initiatedBy: string;
}

/** An entry as GET /applications/{name}/history shows it: everything recorded. */
export interface HistoryEntryView extends HistorySummary {
  bundleDigest?: string;
  startedAt?: string;
  finishedAt: string;
  result: string;
  message?: string;
}

export function historySummary(row: SyncHistoryEntity): HistorySummary {
  return {
    id: row.id,
    revision: row.revision,
    deployedAt: row.finishedAt.toISOString(),
    initiatedBy: row.initiatedBy,
  };
}

export function historyEntryView(row: SyncHistoryEntity): HistoryEntryView {
  return {
    ...historySummary(row),
    ...(row.bundleDigest !== null && { bundleDigest: row.bundleDigest }),
    ...(row.startedAt !== null && { startedAt: row.startedAt.toISOString() }),
    finishedAt: row.finishedAt.toISOString(),
    result: row.result,
    ...(row.message !== null && { message: row.message }),
  };
}
