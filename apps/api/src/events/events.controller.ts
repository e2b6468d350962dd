import { isDnsLabel } from '@cairn/contracts';
import { ApplicationEntity } from '@cairn/persistence';
import { Controller, Get, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { notFound } from '../http/api-errors';
import { type AppEventView, EventsService } from './events.service';

@ApiTags('applications')
@ApiBearerAuth()
@Controller('applications')
export class EventsController {
  constructor(
    private readonly events: EventsService,
    @InjectRepository(ApplicationEntity)
    private readonly applications: Repository<ApplicationEntity>,
  ) {}

  /** The newest 100 events, newest last, as a log reads. */
  @Get(':name/events')
  async list(@Param('name') name: string): Promise<{ items: AppEventView[] }> {
    if (!isDnsLabel(name) || !(await this.applications.existsBy({ name }))) {
      throw notFound(`application "${name}" is not registered`);
    }
    return { items: await this.events.newest(name) };
  }
}
