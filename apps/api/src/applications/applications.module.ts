import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { HistoryModule } from '../history/history.module';
import { BulkOperationsController } from '../operations/bulk-operations.controller';
import { BulkOperationsService } from '../operations/bulk-operations.service';
import { OperationsController } from '../operations/operations.controller';
import { OperationsService } from '../operations/operations.service';
import { RefreshService } from '../operations/refresh.service';
import { RollbackService } from '../operations/rollback.service';
import { RegistryModule } from '../registry/registry.module';
import { ApplicationsController } from './applications.controller';
import { ApplicationsService } from './applications.service';

/**
 * /api/v1/applications: CRUD, filters, and operations (sync, rollback, refresh, history),
 * on one application or on all a selector, cluster or namespace selects.
 */
@Module({
  imports: [RegistryModule, HistoryModule, AuditModule],
  controllers: [BulkOperationsController, ApplicationsController, OperationsController],
  providers: [
    ApplicationsService,
    OperationsService,
    RollbackService,
    RefreshService,
    BulkOperationsService,
  ],
})
export class ApplicationsModule {}
