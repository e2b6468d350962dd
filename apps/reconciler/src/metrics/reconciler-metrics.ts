import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';

export type SyncResult = 'succeeded' | 'failed';

/** Messages a consumer still has to deliver or see acknowledged. */
export interface ConsumerBacklog {
  cluster: string;
  consumer: string;
  pending: number;
}

/** What the reconciler reports on /metrics, beyond the runtime's process metrics. */
@Injectable()
export class ReconcilerMetrics {
  private readonly syncs: Counter<'cluster' | 'result'>;
  private readonly syncDuration: Histogram<'cluster'>;
  private readonly inFlight: Gauge<'cluster'>;
  private readonly backlogSources = new Set<() => Promise<ConsumerBacklog[]>>();
  private workersSource: () => Iterable<string> = () => [];
  private membersSource?: () => number;

  constructor(registry: Registry) {
    const registers = [registry];
    this.syncs = new Counter({
      name: 'cairn_reconciler_syncs_total',
      help: 'Sync operations finished, by cluster and result',
      labelNames: ['cluster', 'result'],
      registers,
    });
    this.syncDuration = new Histogram({
      name: 'cairn_reconciler_sync_duration_seconds',
      help: 'Duration of sync operations, from SyncStarted to their result',
      labelNames: ['cluster'],
      buckets: [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
      registers,
    });
    this.inFlight = new Gauge({
      name: 'cairn_reconciler_operations_in_flight',
      help: 'Operations (syncs, refreshes, deletes) running now, by cluster',
      labelNames: ['cluster'],
      registers,
    });
    const sources = this.backlogSources;
    new Gauge({
      name: 'cairn_reconciler_consumer_pending_messages',
      help: 'Messages of a durable consumer not yet delivered or acknowledged (queue depth)',
      labelNames: ['cluster', 'consumer'],
      registers,
      async collect() {
        this.reset();
        const backlogs = await Promise.all([...sources].map((source) => source().catch(() => [])));
        for (const { cluster, consumer, pending } of backlogs.flat())
          this.set({ cluster, consumer }, pending);
      },
    });
    const workers = () => this.workersSource();
    const members = () => this.membersSource?.();
    new Gauge({
      name: 'cairn_reconciler_cluster_workers',
      help: 'Clusters whose worker runs in this process (1 each), by cluster',
      labelNames: ['cluster'],
      registers,
      collect() {
        this.reset();
        for (const cluster of workers()) this.set({ cluster }, 1);
      },
    });
    new Gauge({
      name: 'cairn_reconciler_members',
      help: 'Live reconciler replicas that divide the clusters, as this one sees them',
      registers,
      collect() {
        this.reset();
        const live = members();
        if (live !== undefined) this.set(live);
      },
    });
  }

  /** Starts timing a sync; call the result with its outcome. */
  syncStarted(cluster: string): (result: SyncResult) => void {
    const stop = this.syncDuration.startTimer({ cluster });
    return (result) => {
      stop();
      this.syncs.inc({ cluster, result });
    };
  }

  operationStarted(cluster: string): () => void {
    this.inFlight.inc({ cluster });
    return () => this.inFlight.dec({ cluster });
  }

  /** Reports the clusters whose worker runs in this process. */
  reportWorkers(source: () => Iterable<string>): void {
    this.workersSource = source;
  }

  /** Reports how many reconciler replicas divide the clusters (when they do). */
  reportMembers(source: () => number): void {
    this.membersSource = source;
  }

  /** Reports a worker's consumer backlog until the returned function is called. */
  reportBacklog(source: () => Promise<ConsumerBacklog[]>): () => void {
    this.backlogSources.add(source);
    return () => this.backlogSources.delete(source);
  }
}
