import { CAIRN_ENTITIES, cairnDataSourceOptions } from '@cairn/persistence';
import { ReadinessChecks } from '@cairn/runtime';
import { Global, Injectable, Module, type OnModuleInit } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ApiConfig } from '../config/api-config';

/** /readyz fails while PostgreSQL does not answer: the api can neither read nor write. */
@Injectable()
class DatabaseReadiness implements OnModuleInit {
  constructor(
    private readonly dataSource: DataSource,
    private readonly readiness: ReadinessChecks,
  ) {}

  onModuleInit(): void {
    this.readiness.register('postgresql', () => this.dataSource.query('SELECT 1'));
  }
}

/**
 * PostgreSQL through TypeORM: the api is its only writer, so it is also the one that
 * applies pending migrations, at start, before it serves anything.
 */
@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [ApiConfig],
      useFactory: (config: ApiConfig) => ({
        ...cairnDataSourceOptions({ url: config.databaseUrl, migrationsRun: true }),
        // A database that is down at start: a few tries, then exit and let the
        // orchestrator restart us, rather than hang unready for minutes.
        retryAttempts: 3,
        retryDelay: 2_000,
      }),
    }),
    TypeOrmModule.forFeature(CAIRN_ENTITIES),
  ],
  providers: [DatabaseReadiness],
  exports: [TypeOrmModule],
})
export class DatabaseModule {}
