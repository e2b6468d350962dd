import { Module } from '@nestjs/common';
import { ReconcilerConfig } from './config/reconciler-config';
import { ReconcilerMetrics } from './metrics/reconciler-metrics';
import { ClusterAccess } from './workers/cluster-access';
import { ClusterWorkers } from './workers/cluster-workers';

/**
 * The reconciler: one worker per served cluster (dry-run, apply, prune, health), fed by
 * durable JetStream consumers, and by a watch-based live cache of the cluster (drift,
 * self-heal, health between syncs); it answers diff requests for its clusters' apps.
 * Configuration, /healthz, /readyz and /metrics come from RuntimeModule, which
 * bootstrapService adds.
 */
@Module({
  providers: [
    ReconcilerMetrics,
    ClusterWorkers,
    // Made at start: an agent whose kubeconfig cannot be loaded fails to start, naming it.
    {
      provide: ClusterAccess,
      inject: [ReconcilerConfig],
      useFactory: (config: ReconcilerConfig) => ClusterAccess.of(config),
    },
  ],
  exports: [ClusterWorkers],
})
export class AppModule {}
