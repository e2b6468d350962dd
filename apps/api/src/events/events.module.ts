import { Module } from '@nestjs/common';
import { HistoryModule } from '../history/history.module';
import { EventStreamController } from './event-stream.controller';
import { EventsConsumer } from './events.consumer';
import { EventsController } from './events.controller';
import { EventsService } from './events.service';

/** Consumes AppEvent messages into app_events; GET /applications/{name}/events reads them. */
@Module({
  imports: [HistoryModule],
  controllers: [EventsConsumer, EventsController, EventStreamController],
  providers: [EventsService],
})
export class EventsModule {}
