import {
  AppEvent,
  encode,
  RegistrationEvent,
  registrationEventSubject,
  Topology,
} from '@cairn/contracts';
import { jetstream } from '@nats-io/jetstream';
import { Injectable, Logger } from '@nestjs/common';
import { NatsClient } from './nats-client';

type Told<E> = Omit<E, 'v' | 'time'>;

/**
 * Puts what the api itself does (rollbacks, registration changes) on the events stream,
 * beside what reconcilers report, so it gets a stream sequence and reaches SSE readers
 * and NATS consumers in order. Telling is never why a change fails: the change is made
 * by then, so a publish that fails is logged instead.
 */
@Injectable()
export class EventPublisher {
  private readonly logger = new Logger(EventPublisher.name);

  constructor(
    private readonly nats: NatsClient,
    private readonly topology: Topology,
  ) {}

  async appEvent(told: Told<AppEvent>): Promise<void> {
    const event: AppEvent = { v: 1, time: new Date().toISOString(), ...told };
    await this.publish(event, () => [
      this.topology.subjects.events(event.cluster, event.app),
      encode(AppEvent, event),
    ]);
  }

  async registrationChanged(told: Told<RegistrationEvent>): Promise<void> {
    const event: RegistrationEvent = { v: 1, time: new Date().toISOString(), ...told };
    await this.publish(event, () => [
      registrationEventSubject(this.topology.subjects, event),
      encode(RegistrationEvent, event),
    ]);
  }

  private async publish(
    event: { type: string; message: string },
    message: () => [subject: string, payload: Uint8Array],
  ): Promise<void> {
    try {
      const [subject, payload] = message();
      await jetstream(this.nats.connection).publish(subject, payload);
    } catch (error) {
      this.logger.error({
        msg: 'event not published',
        type: event.type,
        message: event.message,
        err: error,
      });
    }
  }
}
