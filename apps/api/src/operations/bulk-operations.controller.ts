import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { parseRequest } from '../http/parse-request';
import { openApiSchema } from '../openapi/openapi-schema';
import { type BulkResult, BulkOperationsService } from './bulk-operations.service';
import { BulkRefreshRequest, BulkSyncRequest } from './bulk-request';

/**
 * Operations across many applications: every one a label selector, cluster or namespace
 * selects, with one result each. 200 whatever the results: each item says its own.
 */
@ApiTags('applications')
@ApiBearerAuth()
@Controller('applications')
export class BulkOperationsController {
  constructor(private readonly bulk: BulkOperationsService) {}

  @Post('sync')
  @HttpCode(200)
  @ApiOperation({ summary: 'Sync every application the selector, cluster or namespace selects' })
  @ApiBody({ schema: openApiSchema(BulkSyncRequest) })
  async sync(@Body() body: unknown): Promise<{ items: BulkResult[] }> {
    return { items: await this.bulk.sync(parseRequest(BulkSyncRequest, body ?? {})) };
  }

  @Post('refresh')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Refresh every application the selector, cluster or namespace selects',
  })
  @ApiBody({ schema: openApiSchema(BulkRefreshRequest) })
  async refresh(@Body() body: unknown): Promise<{ items: BulkResult[] }> {
    return { items: await this.bulk.refresh(parseRequest(BulkRefreshRequest, body ?? {})) };
  }
}
