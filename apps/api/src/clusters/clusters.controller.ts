import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiTags } from '@nestjs/swagger';
import { openApiSchema } from '../openapi/openapi-schema';
import { ClusterRequest } from './cluster-request';
import type { ClusterView } from './cluster-view';
import { ClustersService } from './clusters.service';

@ApiTags('clusters')
@ApiBearerAuth()
@Controller('clusters')
export class ClustersController {
  constructor(private readonly clusters: ClustersService) {}

  @Post()
  @ApiBody({ schema: openApiSchema(ClusterRequest) })
  create(@Body() body: unknown): Promise<ClusterView> {
    return this.clusters.create(body);
  }

  @Get()
  async list(): Promise<{ items: ClusterView[] }> {
    return { items: await this.clusters.list() };
  }

  @Get(':name')
  get(@Param('name') name: string): Promise<ClusterView> {
    return this.clusters.get(name);
  }

  @Delete(':name')
  @HttpCode(204)
  async delete(@Param('name') name: string): Promise<void> {
    await this.clusters.delete(name);
  }
}
