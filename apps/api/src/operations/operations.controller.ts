import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiTags } from '@nestjs/swagger';
import { RollbackRequest } from '../applications/application-manifest';
import { ApplicationsService } from '../applications/applications.service';
import { historyEntryView, type HistoryEntryView } from '../history/history-view';
import { HistoryService } from '../history/history.service';
import { parseRequest } from '../http/parse-request';
import { openApiSchema } from '../openapi/openapi-schema';
import type { PollOutcome } from '../infrastructure/poll-requester';
import { RefreshService } from './refresh.service';
import { RollbackService } from './rollback.service';

@ApiTags('applications')
@ApiBearerAuth()
@Controller('applications')
export class OperationsController {
  constructor(
    private readonly applications: ApplicationsService,
    private readonly history: HistoryService,
    private readonly rollbacks: RollbackService,
    private readonly refreshes: RefreshService,
  ) {}

  /** Completed syncs, newest first. */
  @Get(':name/history')
  async list(@Param('name') name: string): Promise<{ items: HistoryEntryView[] }> {
    await this.applications.find(name);
    return { items: (await this.history.list(name)).map(historyEntryView) };
  }

  @Post(':name/rollback')
  @HttpCode(202)
  @ApiBody({ schema: openApiSchema(RollbackRequest) })
  rollback(@Param('name') name: string, @Body() body: unknown): Promise<{ id: string }> {
    return this.rollbacks.rollback(name, parseRequest(RollbackRequest, body).id);
  }

  @Post(':name/refresh')
  @HttpCode(202)
  refresh(@Param('name') name: string): Promise<{ id: string; poll: PollOutcome }> {
    return this.refreshes.refresh(name);
  }
}
