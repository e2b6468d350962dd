import type { Topology } from '@cairn/contracts';
import type { ClusterClient, LiveStateCache } from '@cairn/kube';
import type { BundleStore } from '@cairn/nats';
import type { Registry } from '@cairn/registry';
import type { NatsConnection } from '@nats-io/transport-node';
import type { Logger } from '@nestjs/common';
import type { AppliedObjects } from '../live/applied-objects';
import type { LiveReconciler } from '../live/live-reconciler';
import type { ReconcilerMetrics } from '../metrics/reconciler-metrics';
import type { EventLog } from '../status/event-log';
import type { StatusBoard } from '../status/status-board';
import type { SyncStateStore } from '../sync-state/sync-state-store';
import type { ClusterAccess } from './cluster-access';

/** Everything one cluster's worker works with; handed to its operations. */
export interface WorkerContext {
  cluster: string;
  client: ClusterClient;
  /** The cluster's live objects that carry Cairn's app label, kept by watches. */
  cache: LiveStateCache;
  /** What each app last synced, object by object: the baseline of drift. */
  applied: AppliedObjects;
  /** Compares apps with the cache as it changes: drift, self-heal, health. */
  live: LiveReconciler;
  bundles: BundleStore;
  states: SyncStateStore;
  board: StatusBoard;
  events: EventLog;
  metrics: ReconcilerMetrics;
  logger: Logger;
  /** Aborted when the worker stops: long waits (PruneLast) end with it. */
  stopping: AbortSignal;
}

/** What every worker of a process shares. */
export interface WorkerDependencies {
  nc: NatsConnection;
  topology: Topology;
  registry: Registry;
  bundles: BundleStore;
  states: SyncStateStore;
  /** The kubeconfig of each served cluster: sealed credentials, or an agent's own. */
  access: ClusterAccess;
  metrics: ReconcilerMetrics;
  /** The safety resync: every app compared again with the live cache this often. */
  resyncMs: number;
}
