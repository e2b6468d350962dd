import type { AppStatus, ApplicationSpec } from '@cairn/contracts';
import type { ApplicationEntity, RollbackState } from '@cairn/persistence';
import type { HistorySummary } from '../history/history-view';

/** An application as GET shows it: Argo CD's Application, so its users read it as they know it. */
export interface ApplicationView {
  apiVersion: 'argoproj.io/v1alpha1';
  kind: 'Application';
  metadata: { name: string; labels?: Record<string, string>; creationTimestamp: string };
  spec: ApplicationSpec;
  status: ApplicationStatusView;
}

export interface ApplicationStatusView {
  sync: AppStatus['sync'];
  health: AppStatus['health'];
  operationState?: AppStatus['operationState'];
  resources: AppStatus['resources'];
  conditions: AppStatus['conditions'];
  reconciledAt?: string;
  /** Completed syncs, newest first. */
  history: HistorySummary[];
  /** Set while the app runs a rolled-back entry with automated sync off. */
  rolledBack?: RollbackState;
}

/** What the api itself keeps of an application, beside what its reconciler reports. */
export interface OperationsView {
  history: HistorySummary[];
  rolledBack: RollbackState | null;
}

const NO_OPERATIONS: OperationsView = { history: [], rolledBack: null };

export function applicationView(
  row: ApplicationEntity,
  operations: OperationsView = NO_OPERATIONS,
): ApplicationView {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: {
      name: row.name,
      // As Kubernetes shows them: left out when there are none.
      ...(Object.keys(row.labels ?? {}).length > 0 && { labels: row.labels }),
      creationTimestamp: row.createdAt.toISOString(),
    },
    spec: row.spec as ApplicationSpec,
    status: {
      ...statusView(row.status as AppStatus | null),
      history: operations.history,
      ...(operations.rolledBack && { rolledBack: operations.rolledBack }),
    },
  };
}

/** Before the reconciler has said anything, nothing is known: Unknown, as Argo CD says. */
export function statusView(status: AppStatus | null): ApplicationStatusView {
  if (!status) {
    return {
      sync: { status: 'Unknown' },
      health: { status: 'Unknown' },
      resources: [],
      conditions: [],
      history: [],
    };
  }
  return {
    sync: status.sync,
    health: status.health,
    ...(status.operationState && { operationState: status.operationState }),
    resources: status.resources,
    conditions: status.conditions,
    reconciledAt: status.reconciledAt,
    history: [],
  };
}
