import { JetStreamContext, JetStreamEventPattern } from '@cairn/nats';
import { Controller } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { ApiExcludeController } from '@nestjs/swagger';
import { DECLARED_TOPOLOGY } from '../infrastructure/topology-jetstream-server';
import { StatusService } from './status.service';

/** The status stream, through the durable consumer `api-status`: a restarted api misses nothing. */
@ApiExcludeController()
@Controller()
export class StatusConsumer {
  constructor(private readonly statuses: StatusService) {}

  @JetStreamEventPattern(DECLARED_TOPOLOGY.subjects.filter('status'), { durable: 'api-status' })
  async onStatus(@Payload() payload: unknown, @Ctx() context: JetStreamContext): Promise<void> {
    await this.statuses.receive(payload, context.getSubject());
  }
}
