import { Module } from '@nestjs/common';

/**
 * The reconciler's features (one worker per cluster: dry-run, apply, prune, health,
 * drift) are added here. Configuration, /healthz, /readyz and /metrics come from
 * RuntimeModule, which bootstrapService adds.
 */
@Module({})
export class AppModule {}
