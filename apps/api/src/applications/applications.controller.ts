import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiTags } from '@nestjs/swagger';
import { parseRequest } from '../http/parse-request';
import { YAML_CONTENT_TYPES } from '../http/yaml-body';
import { openApiSchema } from '../openapi/openapi-schema';
import { ApplicationFilters } from './application-filters';
import { ApplicationManifest, DeleteQuery, SyncRequest } from './application-manifest';
import type { ApplicationView } from './application-view';
import { ApplicationsService } from './applications.service';

@ApiTags('applications')
@ApiBearerAuth()
@Controller('applications')
export class ApplicationsController {
  constructor(private readonly applications: ApplicationsService) {}

  @Post()
  @ApiConsumes('application/json', ...YAML_CONTENT_TYPES)
  @ApiBody({ schema: openApiSchema(ApplicationManifest) })
  create(@Body() body: unknown): Promise<ApplicationView> {
    return this.applications.create(parseRequest(ApplicationManifest, body));
  }

  @Get()
  async list(@Query() query: unknown): Promise<{ items: ApplicationView[] }> {
    return { items: await this.applications.list(parseRequest(ApplicationFilters, query)) };
  }

  @Get(':name')
  get(@Param('name') name: string): Promise<ApplicationView> {
    return this.applications.get(name);
  }

  @Put(':name')
  @ApiConsumes('application/json', ...YAML_CONTENT_TYPES)
  @ApiBody({ schema: openApiSchema(ApplicationManifest) })
  update(@Param('name') name: string, @Body() body: unknown): Promise<ApplicationView> {
    return this.applications.update(name, parseRequest(ApplicationManifest, body));
  }

  @Delete(':name')
  @HttpCode(204)
  async delete(@Param('name') name: string, @Query() query: unknown): Promise<void> {
    const { cascade } = parseRequest(DeleteQuery, query);
    await this.applications.delete(name, cascade === 'true');
  }

  @Post(':name/sync')
  @HttpCode(202)
  @ApiBody({ schema: openApiSchema(SyncRequest), required: false })
  sync(@Param('name') name: string, @Body() body: unknown): Promise<{ id: string }> {
    return this.applications.sync(name, parseRequest(SyncRequest, body));
  }
}
