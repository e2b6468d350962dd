import { Module } from '@nestjs/common';
import { HistoryModule } from '../history/history.module';
import { OperationsController } from '../operations/operations.controller';
import { OperationsService } from '../operations/operations.service';
import { RefreshService } from '../operations/refresh.service';
import { RollbackService } from '../operations/rollback.service';
import { RegistryModule } from '../registry/registry.module';
import { ApplicationsController } from './applications.controller';
import { ApplicationsService } from './applications.service';

/** /api/v1/applications: CRUD, filters, and operations (sync, rollback, refresh, history). */
@Module({
  imports: [RegistryModule, HistoryModule],
  controllers: [ApplicationsController, OperationsController],
  providers: [ApplicationsService, OperationsService, RollbackService, RefreshService],
})
export class ApplicationsModule {}
