import { EventEmitter } from 'node:events';
import type { ConsumerMessages, JsMsg } from '@nats-io/jetstream';
import type { NatsConnection, Status } from '@nats-io/transport-node';
import { Logger } from '@nestjs/common';
import { type CustomTransportStrategy, Server } from '@nestjs/microservices';
import { lastValueFrom } from 'rxjs';
import { connectNats, type NatsAuth } from './connection';
import { ensureDurableConsumer, ensureStream, type StreamSpec } from './jetstream';
import { JetStreamContext } from './jetstream-context';

/**
 * Binds `@EventPattern` handlers to durable JetStream pull consumers, so an event handler
 * reads like any Nest handler and still loses nothing: a message is acknowledged only after
 * its handler's promise resolved, negatively acknowledged (redelivered after a delay) when
 * it threw, and redelivered by the server when the process died before either.
 *
 * Declare handlers with `@JetStreamEventPattern(subject)`, which binds them to this
 * transport only: in a hybrid app that also runs Nest's NATS transport, a JetStream message
 * is a core NATS message too, and a handler bound to both would run twice.
 */
export const JETSTREAM_TRANSPORT = Symbol('JETSTREAM');

export interface JetStreamServerOptions {
  url: string | string[];
  /** Connection name, e.g. `reconciler-cluster-a`. */
  name: string;
  /** Who the connection is to the server; unset when it asks nobody. */
  auth?: NatsAuth;
  /** The stream the subjects live in; created or widened to `subjects` on start. */
  stream: StreamSpec;
  /**
   * Durable consumer name; one consumer per handler, named `<durable>_<pattern>` (with
   * `.`, `*` and `>` spelled out) unless the handler's extras say `{ durable: 'name' }`.
   * Two processes with the same durable share the work; a restarted process resumes.
   */
  durable: string;
  /** Redelivery when a process holds a message this long without a sign of life. Default 30 s. */
  ackWaitMs?: number;
  /** Delay before a message whose handler threw is delivered again. Default 5 s. */
  nakDelayMs?: number;
  /** Deliveries before the server gives up on a message. Default -1: never. */
  maxDeliver?: number;
}

/** Connection status events, by Status.type: `disconnect`, `reconnect`, `error`, ... */
type StatusEvents = Record<string, (status: Status) => void>;

export class JetStreamServer extends Server<StatusEvents> implements CustomTransportStrategy {
  override readonly transportId = JETSTREAM_TRANSPORT;
  // We await each handler's stream ourselves, so Nest must hand failures to us.
  override readonly propagatesEventHandlerErrors = true;
  protected override readonly logger = new Logger(JetStreamServer.name);

  private connection?: NatsConnection;
  private readonly consumers: ConsumerMessages[] = [];
  private readonly workers: Array<Promise<void>> = [];
  private readonly statusEvents = new EventEmitter();

  constructor(private readonly options: JetStreamServerOptions) {
    super();
  }

  async listen(callback: (error?: unknown) => void): Promise<void> {
    try {
      const nc = await connectNats({
        url: this.options.url,
        name: this.options.name,
        auth: this.options.auth,
      });
      this.connection = nc;
      this._status$.next('connected');
      void this.reportStatus(nc);
      await ensureStream(nc, this.options.stream);
      for (const [pattern, handler] of this.messageHandlers) {
        if (!handler.isEventHandler) {
          this.logger.warn(
            `@MessagePattern('${pattern}') ignored: JetStream carries events, not requests`,
          );
          continue;
        }
        const consumer = await ensureDurableConsumer(nc, {
          stream: this.options.stream.name,
          durable:
            (handler.extras?.durable as string | undefined) ??
            durableName(this.options.durable, pattern),
          filterSubject: pattern,
          ackWaitMs: this.ackWaitMs,
          maxDeliver: this.options.maxDeliver,
        });
        // One message at a time per consumer: in order, and nothing sits in a local buffer
        // while its ack wait runs out.
        const messages = await consumer.consume({ max_messages: 1 });
        this.consumers.push(messages);
        this.workers.push(this.work(pattern, messages));
      }
      callback();
    } catch (error) {
      callback(error);
    }
  }

  async close(): Promise<void> {
    // Stop pulling, let the messages in hand finish (and be acked), then flush and leave.
    await Promise.allSettled(this.consumers.map((messages) => messages.close()));
    await Promise.allSettled(this.workers);
    if (this.connection && !this.connection.isClosed()) await this.connection.drain();
    this.statusEvents.removeAllListeners();
    this.connection = undefined;
  }

  on<Event extends string, Callback extends StatusEvents[Event]>(
    event: Event,
    callback: Callback,
  ): void {
    this.statusEvents.on(event, callback);
  }

  unwrap<T>(): T {
    if (!this.connection) throw new Error('JetStreamServer is not listening: call listen() first');
    return this.connection as T;
  }

  private get ackWaitMs(): number {
    return this.options.ackWaitMs ?? 30_000;
  }

  private async work(pattern: string, messages: ConsumerMessages): Promise<void> {
    try {
      for await (const message of messages) await this.handle(pattern, message);
    } catch (error) {
      this.logger.error(`consumer for ${pattern} stopped: ${describe(error)}`);
    }
  }

  private async handle(pattern: string, message: JsMsg): Promise<void> {
    const where = `${message.subject} (stream seq ${message.seq}, delivery ${message.info.deliveryCount})`;
    let data: unknown;
    try {
      data = message.json();
    } catch {
      // Redelivering a payload that is not JSON cannot help: drop it, loudly.
      this.logger.error(`dropping ${where}: payload is not JSON`);
      settle(() => message.term('payload is not JSON'));
      return;
    }
    // Tell the server we are still on it, so a long handler is not raced by a redelivery.
    const keepAlive = setInterval(
      () => settle(() => message.working()),
      Math.max(this.ackWaitMs / 3, 100),
    );
    try {
      const handler = this.messageHandlers.get(pattern);
      if (!handler) throw new Error(`no handler for ${pattern}`);
      const result = await handler(data, new JetStreamContext([message]));
      await lastValueFrom(this.transformToObservable(result), { defaultValue: undefined });
      settle(() => message.ack());
    } catch (error) {
      const delay = this.options.nakDelayMs ?? 5_000;
      this.logger.error(
        `handler for ${pattern} failed on ${where}, redelivery in ${delay} ms: ${describe(error)}`,
      );
      settle(() => message.nak(delay));
    } finally {
      clearInterval(keepAlive);
    }
  }

  private async reportStatus(nc: NatsConnection): Promise<void> {
    for await (const status of nc.status()) {
      if (status.type === 'disconnect') this._status$.next('disconnected');
      if (status.type === 'reconnect') this._status$.next('connected');
      this.statusEvents.emit(status.type, status);
    }
  }
}

/** A durable name NATS accepts (no `.`, `*`, `>` or whitespace) that still reads like the pattern. */
export function durableName(prefix: string, pattern: string): string {
  const readable = pattern
    .replace(/\*/g, 'any')
    .replace(/>/g, 'all')
    .replace(/[.\s]+/g, '_');
  return `${prefix}_${readable}`;
}

/** Acks on a connection that is already gone fail; the server redelivers, which is the point. */
function settle(action: () => void): void {
  try {
    action();
  } catch {
    // nothing to do: the message stays unacknowledged and comes back
  }
}

function describe(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'object' && error && 'message' in error) return String(error.message);
  return String(error);
}
