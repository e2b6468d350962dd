import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiTags } from '@nestjs/swagger';
import { parseRequest } from '../http/parse-request';
import { openApiSchema } from '../openapi/openapi-schema';
import { RepositoriesService } from './repositories.service';
import { RepositoryRequest, repositoryView, type RepositoryView } from './repository-request';

@ApiTags('repositories')
@ApiBearerAuth()
@Controller('repositories')
export class RepositoriesController {
  constructor(private readonly repositories: RepositoriesService) {}

  @Post()
  @ApiBody({ schema: openApiSchema(RepositoryRequest) })
  async create(@Body() body: unknown): Promise<RepositoryView> {
    return repositoryView(await this.repositories.create(parseRequest(RepositoryRequest, body)));
  }

  @Get()
  async list(): Promise<{ items: RepositoryView[] }> {
    return { items: (await this.repositories.list()).map(repositoryView) };
  }

  @Get(':id')
  async get(@Param('id') id: string): Promise<RepositoryView> {
    return repositoryView(await this.repositories.get(id));
  }

  @Delete(':id')
  @HttpCode(204)
  async delete(@Param('id') id: string): Promise<void> {
    await this.repositories.delete(id);
  }
}
