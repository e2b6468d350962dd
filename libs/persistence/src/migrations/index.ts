import { InitialSchema1764136800000 } from './1764136800000-initial-schema';
import { ClustersOfApplicationsAndEvents1764223200000 } from './1764223200000-clusters-of-applications-and-events';

/** In order; a new migration is appended, never inserted or edited once released. */
export const CAIRN_MIGRATIONS = [
  InitialSchema1764136800000,
  ClustersOfApplicationsAndEvents1764223200000,
];

export { ClustersOfApplicationsAndEvents1764223200000, InitialSchema1764136800000 };
