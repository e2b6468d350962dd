import type { JsMsg } from '@nats-io/jetstream';
import type { MsgHdrs } from '@nats-io/transport-node';
import { BaseRpcContext } from '@nestjs/microservices';

/**
 * What an `@EventPattern` handler bound by JetStreamServer can learn about its message
 * (`@Ctx() context: JetStreamContext`): where it came from and how often it was delivered.
 */
export class JetStreamContext extends BaseRpcContext<[JsMsg]> {
  getMessage(): JsMsg {
    return this.args[0];
  }

  getSubject(): string {
    return this.args[0].subject;
  }

  getHeaders(): MsgHdrs | undefined {
    return this.args[0].headers;
  }

  /** Position in the stream: monotonic, so it doubles as an event id. */
  getStreamSequence(): number {
    return this.args[0].seq;
  }

  /** 1 on first delivery, more on redelivery. */
  getDeliveryCount(): number {
    return this.args[0].info.deliveryCount;
  }
}
