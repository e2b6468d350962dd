import 'reflect-metadata';
import { Injectable, Module, type OnModuleInit } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Counter, Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { env } from './config/environment-variables';
import { defineServiceConfig } from './config/service-config';
import { ReadinessChecks } from './health/readiness-checks';
import { RuntimeModule } from './runtime.module';

class ExampleConfig extends defineServiceConfig(
  'example',
  { CAIRN_EXAMPLE_PORT: env.port(8080), CAIRN_EXAMPLE_GREETING_NAME: env.host('world') },
  (vars) => ({
    http: { host: '127.0.0.1', port: vars.CAIRN_EXAMPLE_PORT },
    name: vars.CAIRN_EXAMPLE_GREETING_NAME,
  }),
) {}

/** A feature service as the apps will write them: config, readiness and metrics injected. */
@Injectable()
class ExampleFeature implements OnModuleInit {
  dependencyUp = true;
  readonly greetings: Counter;

  constructor(
    readonly config: ExampleConfig,
    private readonly readiness: ReadinessChecks,
    registry: Registry,
  ) {
    this.greetings = new Counter({
      name: 'cairn_example_greetings_total',
      help: 'Greetings.',
      registers: [registry],
    });
  }

  onModuleInit(): void {
    this.readiness.register('dependency', () => {
      if (!this.dependencyUp) throw new Error('connection refused');
    });
    this.readiness.register('cache', () => true);
  }
}

@Module({ providers: [ExampleFeature] })
class ExampleModule {}

let app: NestFastifyApplication | undefined;

async function startApp(): Promise<NestFastifyApplication> {
  const config = ExampleConfig.load({ CAIRN_EXAMPLE_GREETING_NAME: 'cairn' });
  app = await NestFactory.create<NestFastifyApplication>(
    { imports: [RuntimeModule.forService(config), ExampleModule] },
    new FastifyAdapter(),
    { logger: false },
  );
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return app;
}

afterEach(async () => {
  await app?.close();
  app = undefined;
});

describe('RuntimeModule', () => {
  it('injects the typed configuration into feature services', async () => {
    const feature = (await startApp()).get(ExampleFeature);
    expect(feature.config).toBeInstanceOf(ExampleConfig);
    expect(feature.config.name).toBe('cairn');
  });

  it('answers liveness with 200 {status: "ok"}', async () => {
    const response = await (await startApp()).inject({ method: 'GET', url: '/healthz' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok' });
  });

  it('answers readiness with 200 when every check passes, 503 naming the one that fails', async () => {
    const started = await startApp();
    const ready = await started.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({
      status: 'ok',
      checks: [
        { name: 'dependency', status: 'ok' },
        { name: 'cache', status: 'ok' },
      ],
    });

    started.get(ExampleFeature).dependencyUp = false;
    const notReady = await started.inject({ method: 'GET', url: '/readyz' });
    expect(notReady.statusCode).toBe(503);
    expect(notReady.json()).toEqual({
      status: 'unavailable',
      checks: [
        { name: 'dependency', status: 'failed', reason: 'connection refused' },
        { name: 'cache', status: 'ok' },
      ],
    });
  });

  it('serves Prometheus metrics: process defaults and what services register', async () => {
    const started = await startApp();
    started.get(ExampleFeature).greetings.inc(2);
    const response = await started.inject({ method: 'GET', url: '/metrics' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(response.body).toMatch(/^process_cpu_seconds_total \d/m);
    expect(response.body).toMatch(/^cairn_example_greetings_total 2$/m);
  });
});
