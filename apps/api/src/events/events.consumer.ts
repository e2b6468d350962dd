import { JetStreamContext, JetStreamEventPattern } from '@cairn/nats';
import { Controller } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { ApiExcludeController } from '@nestjs/swagger';
import { DECLARED_TOPOLOGY } from '../infrastructure/topology-jetstream-server';
import { EventsService } from './events.service';

/** The events stream, through the durable consumer `api-events`: a restarted api misses nothing. */
@ApiExcludeController()
@Controller()
export class EventsConsumer {
  constructor(private readonly events: EventsService) {}

  @JetStreamEventPattern(DECLARED_TOPOLOGY.subjects.filter('events'), { durable: 'api-events' })
  async onEvent(@Payload() payload: unknown, @Ctx() context: JetStreamContext): Promise<void> {
    await this.events.receive(payload, context.getSubject(), context.getStreamSequence());
  }
}
