import type { BundleStore } from '@cairn/nats';
import type { ClusterClient } from '@cairn/kube';
import type { Logger } from '@nestjs/common';
import type { HealthMonitor } from '../health/health-monitor';
import type { ReconcilerMetrics } from '../metrics/reconciler-metrics';
import type { EventLog } from '../status/event-log';
import type { StatusBoard } from '../status/status-board';
import type { SyncStateStore } from '../sync-state/sync-state-store';

/** Everything one cluster's worker works with; handed to its operations. */
export interface WorkerContext {
  cluster: string;
  client: ClusterClient;
  bundles: BundleStore;
  states: SyncStateStore;
  board: StatusBoard;
  events: EventLog;
  monitor: HealthMonitor;
  metrics: ReconcilerMetrics;
  logger: Logger;
}
