import { Module } from '@nestjs/common';

/**
 * The repo-poller's features (ref checks, fetch, render, publish) are added here.
 * Configuration, /healthz, /readyz and /metrics come from RuntimeModule, which
 * bootstrapService adds.
 */
@Module({})
export class AppModule {}
