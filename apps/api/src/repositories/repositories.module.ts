import { Module } from '@nestjs/common';
import { RegistryModule } from '../registry/registry.module';
import { RepositoriesController } from './repositories.controller';
import { RepositoriesService } from './repositories.service';

/** POST/GET/DELETE /api/v1/repositories */
@Module({
  imports: [RegistryModule],
  controllers: [RepositoriesController],
  providers: [RepositoriesService],
})
export class RepositoriesModule {}
