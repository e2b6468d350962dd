import { Module } from '@nestjs/common';
import { RegistryModule } from '../registry/registry.module';
import { ApplicationsController } from './applications.controller';
import { ApplicationsService } from './applications.service';

/** /api/v1/applications: CRUD, filters, and sync. */
@Module({
  imports: [RegistryModule],
  controllers: [ApplicationsController],
  providers: [ApplicationsService],
})
export class ApplicationsModule {}
