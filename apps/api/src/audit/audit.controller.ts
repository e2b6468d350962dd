import { Controller, Get, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { type AuditRecordView, AuditTrail } from './audit-trail';

@ApiTags('applications')
@ApiBearerAuth()
@Controller('applications')
export class AuditController {
  constructor(private readonly trail: AuditTrail) {}

  /**
   * What was done to an application, oldest first; also after it was deleted, and for a
   * name that was refused, so no 404 here.
   */
  @Get(':name/audit')
  async list(@Param('name') name: string): Promise<{ items: AuditRecordView[] }> {
    return { items: await this.trail.of(name) };
  }
}
