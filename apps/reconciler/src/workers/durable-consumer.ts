import type { Consumer, ConsumerMessages, JsMsg } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import type { Logger } from '@nestjs/common';
import { ContractViolation } from '@cairn/contracts';
import { ensureDurableConsumer } from '@cairn/nats';

export interface DurableConsumerOptions {
  stream: string;
  durable: string;
  filterSubject: string;
  /** Redelivery when a message is held this long without a sign of life. */
  ackWaitMs?: number;
  /** Messages taken but not yet acknowledged, at most; more wait in the stream. */
  maxOutstanding: number;
}

const ACK_WAIT_MS = 30_000;
/** First redelivery after a failure, doubling up to the maximum. */
const RETRY_BASE_MS = 5_000;
const RETRY_MAX_MS = 5 * 60_000;

/**
 * A durable JetStream pull consumer whose messages are worked on concurrently: each is
 * handed to `handle` as it arrives, kept alive while it waits and runs, acknowledged only
 * when `handle` resolved, and delivered again (with a growing delay) when it threw. A
 * message that breaks its contract is terminated: delivering it again cannot help. The
 * server keeps the consumer's position, so what a stopped process had not acknowledged
 * comes back to the next one.
 */
export class DurableConsumer {
  private readonly outstanding = new Set<Promise<void>>();
  private loop?: Promise<void>;

  private constructor(
    private readonly consumer: Consumer,
    private readonly messages: ConsumerMessages,
    private readonly options: DurableConsumerOptions,
    private readonly handle: (message: JsMsg) => Promise<void>,
    private readonly logger: Logger,
  ) {}

  static async start(
    nc: NatsConnection,
    options: DurableConsumerOptions,
    handle: (message: JsMsg) => Promise<void>,
    logger: Logger,
  ): Promise<DurableConsumer> {
    const consumer = await ensureDurableConsumer(nc, {
      stream: options.stream,
      durable: options.durable,
      filterSubject: options.filterSubject,
      ackWaitMs: options.ackWaitMs ?? ACK_WAIT_MS,
    });
    const messages = await consumer.consume({ max_messages: 1 });
    const started = new DurableConsumer(consumer, messages, options, handle, logger);
    started.loop = started.run();
    return started;
  }

  get name(): string {
    return this.options.durable;
  }

  /** Messages not yet delivered plus those delivered and not yet acknowledged. */
  async backlog(): Promise<number> {
    const info = await this.consumer.info();
    return info.num_pending + info.num_ack_pending;
  }

  /** Stops taking messages and waits up to `graceMs` for those in hand; the rest come back later. */
  async stop(graceMs: number): Promise<void> {
    await this.messages.close();
    await this.loop;
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)));
    await Promise.race([Promise.allSettled([...this.outstanding]), grace]);
    clearTimeout(timer);
  }

  private async run(): Promise<void> {
    try {
      for await (const message of this.messages) {
        while (this.outstanding.size >= this.options.maxOutstanding)
          await Promise.race(this.outstanding);
        const work = this.work(message).finally(() => this.outstanding.delete(work));
        this.outstanding.add(work);
      }
    } catch (error) {
      this.logger.error({ msg: 'consumer stopped', consumer: this.name, error: String(error) });
    }
  }

  private async work(message: JsMsg): Promise<void> {
    const ackWaitMs = this.options.ackWaitMs ?? ACK_WAIT_MS;
    const keepAlive = setInterval(() => settle(() => message.working()), ackWaitMs / 3);
    const where = {
      consumer: this.name,
      subject: message.subject,
      seq: message.seq,
      delivery: message.info.deliveryCount,
    };
    try {
      await this.handle(message);
      settle(() => message.ack());
    } catch (error) {
      if (error instanceof ContractViolation) {
        this.logger.error({
          msg: 'message dropped: it breaks its contract',
          ...where,
          error: error.message,
        });
        settle(() => message.term(error.message.slice(0, 200)));
        return;
      }
      const delay = Math.min(RETRY_BASE_MS * 2 ** (message.info.deliveryCount - 1), RETRY_MAX_MS);
      this.logger.warn({
        msg: 'message failed, delivered again later',
        ...where,
        retryInMs: delay,
        error: String(error instanceof Error ? error.message : error),
      });
      settle(() => message.nak(delay));
    } finally {
      clearInterval(keepAlive);
    }
  }
}

/** An ack on a connection that is gone fails; the server redelivers, which is the point. */
function settle(action: () => void): void {
  try {
    action();
  } catch {
    // nothing to do
  }
}
