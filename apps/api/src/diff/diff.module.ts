import { Module } from '@nestjs/common';
import { DiffController } from './diff.controller';
import { DiffService } from './diff.service';

/**
 * GET /api/v1/applications/{name}/diff, answered by the reconciler of the app's cluster
 * over NATS request/reply. Uses the global DatabaseModule and MessagingModule.
 */
@Module({ controllers: [DiffController], providers: [DiffService] })
export class DiffModule {}
