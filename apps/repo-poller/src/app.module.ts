import { Module } from '@nestjs/common';
import { PollingModule } from './polling/polling.module';

/**
 * The repo-poller: ref checks, fetches, renders and desired-state messages. Configuration,
 * /healthz, /readyz and /metrics come from RuntimeModule, which bootstrapService adds.
 */
@Module({ imports: [PollingModule] })
export class AppModule {}
