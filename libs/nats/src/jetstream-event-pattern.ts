import { EventPattern } from '@nestjs/microservices';
import { JETSTREAM_TRANSPORT } from './jetstream-server';

export interface JetStreamEventOptions {
  /** Durable consumer name for this handler, instead of the one derived from the pattern. */
  durable?: string;
}

/**
 * `@EventPattern(subject)` bound to JetStreamServer only (so Nest's NATS transport in the
 * same app does not run it too). It also sidesteps the typed EventPattern overloads, which
 * reject a handler that takes `@Ctx() context: JetStreamContext` as its second parameter.
 */
export function JetStreamEventPattern(
  subject: string,
  options: JetStreamEventOptions = {},
): MethodDecorator {
  return EventPattern<string>(subject, JETSTREAM_TRANSPORT, { ...options });
}
