import type { DataSourceOptions } from 'typeorm';
import { CAIRN_ENTITIES } from './entities';
import { CAIRN_MIGRATIONS } from './migrations';

export interface CairnDataSourceConfig {
  /** postgres://user:password@host:5432/database */
  url: string;
  /**
   * Whether initializing the DataSource applies pending migrations. Required, because
   * it is a deployment decision (the api does it; nothing else should).
   */
  migrationsRun: boolean;
  /** PostgreSQL schema for Cairn's tables; absent: the connection's search_path (public). */
  schema?: string;
  /** Log SQL; never in production (bound parameters can carry ciphertexts). */
  logging?: boolean;
}

/**
 * The one way Cairn connects to PostgreSQL, for `new DataSource(...)` and
 * TypeOrmModule.forRoot(...). The schema comes only from migrations: never synchronize.
 */
export function cairnDataSourceOptions(config: CairnDataSourceConfig): DataSourceOptions {
  return {
    type: 'postgres',
    url: config.url,
    ...(config.schema && { schema: config.schema }),
    entities: CAIRN_ENTITIES,
    migrations: CAIRN_MIGRATIONS,
    migrationsRun: config.migrationsRun,
    migrationsTableName: 'cairn_migrations',
    // Each migration commits on its own, so a failure leaves the ones before it applied.
    migrationsTransactionMode: 'each',
    synchronize: false,
    // Extensions are a DBA's call; gen_random_uuid() is built into PostgreSQL 13+.
    installExtensions: false,
    uuidExtension: 'pgcrypto',
    logging: config.logging ?? false,
  };
}
