import { type DynamicModule, Module } from '@nestjs/common';
import { Registry } from 'prom-client';
import type { ServiceSettings } from './config/service-config';
import { HealthController } from './health/health.controller';
import { createMetricsRegistry, MetricsController } from './health/metrics.controller';
import { ReadinessChecks } from './health/readiness-checks';

/**
 * What every Cairn service has: its validated configuration (injectable by its class),
 * readiness checks, a metrics registry, and /healthz, /readyz and /metrics. Global, so
 * feature modules inject these without importing anything.
 */
@Module({})
export class RuntimeModule {
  static forService(config: ServiceSettings): DynamicModule {
    return {
      module: RuntimeModule,
      global: true,
      controllers: [HealthController, MetricsController],
      providers: [
        { provide: config.constructor, useValue: config },
        ReadinessChecks,
        { provide: Registry, useFactory: createMetricsRegistry },
      ],
      exports: [config.constructor, ReadinessChecks, Registry],
    };
  }
}
