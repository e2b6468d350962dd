import 'reflect-metadata';
import { Module, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Logger } from 'pino';
import {
  ConfigError,
  type ServiceConfigClass,
  type ServiceSettings,
} from './config/service-config';
import { createJsonLogger } from './logging/json-logger';
import { NestJsonLogger } from './logging/nest-json-logger';
import { RuntimeModule } from './runtime.module';

export interface ServiceDefinition<Config extends ServiceSettings> {
  config: ServiceConfigClass<Config>;
  module: Type<unknown>;
  /** Runs after the app is created and before it listens: global prefix, microservices. */
  configure?: (app: NestFastifyApplication, config: Config) => void | Promise<void>;
}

/** The root of every service: the runtime's module and the service's own. */
@Module({})
class ServiceModule {}

const SHUTDOWN_SIGNALS = ['SIGTERM', 'SIGINT'] as const;

/** Longer than any sane drain; past it the process exits 1 rather than hang a rollout. */
const SHUTDOWN_DEADLINE_MS = 10_000;

/**
 * Starts a Cairn service: validates its configuration (a bad variable exits 1 with one
 * JSON line naming it), creates the Nest app on Fastify with JSON logs, listens, and on
 * SIGTERM or SIGINT closes everything and exits 0.
 */
export async function bootstrapService<Config extends ServiceSettings>(
  definition: ServiceDefinition<Config>,
): Promise<void> {
  const config = loadConfig(definition.config);
  if (!config) return;
  const logger = createJsonLogger(config);
  exitOnUnhandledErrors(logger);
  try {
    const app = await NestFactory.create<NestFastifyApplication>(
      { module: ServiceModule, imports: [RuntimeModule.forService(config), definition.module] },
      new FastifyAdapter(),
      { logger: new NestJsonLogger(logger), abortOnError: false },
    );
    announceShutdown(logger);
    app.enableShutdownHooks([...SHUTDOWN_SIGNALS], { useProcessExit: true });
    await definition.configure?.(app, config);
    await app.listen(config.http.port, config.http.host);
    logger.info({ host: config.http.host, port: config.http.port }, 'listening');
  } catch (error) {
    logger.fatal({ err: error }, 'failed to start');
    process.exit(1);
  }
}

function loadConfig<Config extends ServiceSettings>(
  configClass: ServiceConfigClass<Config>,
): Config | undefined {
  try {
    return configClass.load(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    const logger = createJsonLogger({ service: configClass.service, logLevel: 'info' });
    logger.fatal({ problems: error.problems }, error.message);
    process.exitCode = 1;
    return undefined;
  }
}

function announceShutdown(logger: Logger): void {
  for (const signal of SHUTDOWN_SIGNALS) {
    // Registered before Nest's own listener, so this line comes before any teardown.
    process.once(signal, () => {
      logger.info({ signal }, 'shutting down');
      setTimeout(() => {
        logger.error(`still stopping after ${SHUTDOWN_DEADLINE_MS} ms; exiting anyway`);
        process.exit(1);
      }, SHUTDOWN_DEADLINE_MS).unref();
    });
  }
  process.once('exit', (exitCode) => logger.info({ exitCode }, 'stopped'));
}

/** Without this, a crash prints a plain-text stack that log pipelines cannot parse. */
function exitOnUnhandledErrors(logger: Logger): void {
  process.on('uncaughtException', (error) => {
    logger.fatal({ err: error }, 'uncaught exception');
    process.exit(1);
  });
  process.on('unhandledRejection', (reason) => {
    logger.fatal({ err: reason }, 'unhandled promise rejection');
    process.exit(1);
  });
}
