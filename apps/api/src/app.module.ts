import { Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { ApplicationsModule } from './applications/applications.module';
import { AuditModule } from './audit/audit.module';
import { AuthModule } from './auth/auth.module';
import { ClustersModule } from './clusters/clusters.module';
import { DiffModule } from './diff/diff.module';
import { EventsModule } from './events/events.module';
import { BadRequestFilter } from './http/bad-request.filter';
import { DatabaseModule } from './infrastructure/database.module';
import { MessagingModule } from './infrastructure/messaging.module';
import { MetricsModule } from './metrics/metrics.module';
import { OpenApiModule } from './openapi/openapi.module';
import { RegistryModule } from './registry/registry.module';
import { RepositoriesModule } from './repositories/repositories.module';
import { StatusModule } from './status/status.module';
import { WebhooksModule } from './webhooks/webhooks.module';

/**
 * The api: registrations in PostgreSQL mirrored to the registry buckets, status and events
 * consumed from JetStream, commands published to it, all behind one bearer token.
 * Configuration, /healthz, /readyz and /metrics come from RuntimeModule (bootstrapService
 * adds it); configureApi does what needs the app itself.
 */
@Module({
  imports: [
    DatabaseModule,
    MessagingModule,
    AuthModule,
    AuditModule,
    MetricsModule,
    RegistryModule,
    RepositoriesModule,
    ClustersModule,
    ApplicationsModule,
    DiffModule,
    StatusModule,
    EventsModule,
    WebhooksModule,
    OpenApiModule,
  ],
  providers: [{ provide: APP_FILTER, useClass: BadRequestFilter }],
})
export class AppModule {}
