import { Module } from '@nestjs/common';
import { RegistryModule } from '../registry/registry.module';
import { ClustersController } from './clusters.controller';
import { ClustersService } from './clusters.service';

/** POST/GET/DELETE /api/v1/clusters */
@Module({
  imports: [RegistryModule],
  controllers: [ClustersController],
  providers: [ClustersService],
})
export class ClustersModule {}
