export { bootstrapService, type ServiceDefinition } from './bootstrap';
export { env, LOG_LEVELS, type LogLevel } from './config/environment-variables';
export { encryptionKeyVariable, MISSING_ENCRYPTION_KEY } from './config/encryption-key-variable';
export {
  natsSettings,
  natsVariables,
  type NatsAuthSettings,
  type NatsSettings,
} from './config/nats-variables';
export {
  ConfigError,
  ConfigProblem,
  defineServiceConfig,
  type ServiceConfigClass,
  type ServiceSettings,
} from './config/service-config';
export { HealthController } from './health/health.controller';
export { createMetricsRegistry, MetricsController } from './health/metrics.controller';
export {
  CHECK_TIMEOUT_MS,
  ReadinessChecks,
  type ReadinessCheck,
  type ReadinessResult,
} from './health/readiness-checks';
export { createJsonLogger, type JsonLogger, type JsonLoggerOptions } from './logging/json-logger';
export { NestJsonLogger } from './logging/nest-json-logger';
export { isSecretKey, REDACTED, redactSecrets } from './logging/secret-redaction';
export { RuntimeModule } from './runtime.module';
