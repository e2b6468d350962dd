import { Module } from '@nestjs/common';
import { HttpMetrics } from './http-metrics';

/** The api's own HTTP metrics; /metrics itself is RuntimeModule's. */
@Module({ providers: [HttpMetrics] })
export class MetricsModule {}
