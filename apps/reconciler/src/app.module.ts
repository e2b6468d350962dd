import { Module } from '@nestjs/common';
import { ReconcilerMetrics } from './metrics/reconciler-metrics';
import { ClusterWorkers } from './workers/cluster-workers';

/**
 * The reconciler: one worker per served cluster (dry-run, apply, prune, health), fed by
 * durable JetStream consumers. Configuration, /healthz, /readyz and /metrics come from
 * RuntimeModule, which bootstrapService adds.
 */
@Module({ providers: [ReconcilerMetrics, ClusterWorkers], exports: [ClusterWorkers] })
export class AppModule {}
