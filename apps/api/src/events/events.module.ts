import { Module } from '@nestjs/common';
import { EventsConsumer } from './events.consumer';
import { EventsController } from './events.controller';
import { EventsService } from './events.service';

/** Consumes AppEvent messages into app_events; GET /applications/{name}/events reads them. */
@Module({ controllers: [EventsConsumer, EventsController], providers: [EventsService] })
export class EventsModule {}
