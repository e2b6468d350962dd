import { Module } from '@nestjs/common';
import { ReconcilerMetrics } from './metrics/reconciler-metrics';
import { ClusterWorkers } from './workers/cluster-workers';

/**
 * The reconciler: one worker per served cluster (dry-run, apply, prune, health), fed by
 * durable JetStream consumers, and by a watch-based live cache of the cluster (drift,
 * self-heal, health between syncs); it answers diff requests for its clusters' apps.
 * Configuration, /healthz, /readyz and /metrics come from RuntimeModule, which
 * bootstrapService adds.
 */
@Module({ providers: [ReconcilerMetrics, ClusterWorkers], exports: [ClusterWorkers] })
export class AppModule {}
