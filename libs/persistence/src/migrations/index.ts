import { InitialSchema1764136800000 } from './1764136800000-initial-schema';
import { ClustersOfApplicationsAndEvents1764223200000 } from './1764223200000-clusters-of-applications-and-events';
import { HistoryOperationsAndAudit1764309600000 } from './1764309600000-history-operations-and-audit';
import { ApplicationLabels1764396000000 } from './1764396000000-application-labels';

/** In order; a new migration is appended, never inserted or edited once released. */
export const CAIRN_MIGRATIONS = [
  InitialSchema1764136800000,
  ClustersOfApplicationsAndEvents1764223200000,
  HistoryOperationsAndAudit1764309600000,
  ApplicationLabels1764396000000,
];

export {
  ApplicationLabels1764396000000,
  ClustersOfApplicationsAndEvents1764223200000,
  HistoryOperationsAndAudit1764309600000,
  InitialSchema1764136800000,
};
