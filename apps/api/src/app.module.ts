import { Module } from '@nestjs/common';

/**
 * The api's features (REST under /api/v1, SSE, webhooks) are added here. Configuration,
 * /healthz, /readyz and /metrics come from RuntimeModule, which bootstrapService adds.
 */
@Module({})
export class AppModule {}
