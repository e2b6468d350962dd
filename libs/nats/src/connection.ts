import { connect, type NatsConnection } from '@nats-io/transport-node';

export interface NatsConnectionOptions {
  /** One server or several, e.g. nats://127.0.0.1:4222 */
  url: string | string[];
  /** Shown by the server (connz) and in its logs: name the service and its instance. */
  name: string;
}

/**
 * Connects to NATS and never gives up: a service that loses NATS keeps retrying (also
 * for the first connection, so start order does not matter) instead of exiting, and
 * JetStream redelivers whatever was in flight.
 */
export function connectNats(options: NatsConnectionOptions): Promise<NatsConnection> {
  return connect({
    servers: options.url,
    name: options.name,
    maxReconnectAttempts: -1,
    reconnectTimeWait: 1_000,
    waitOnFirstConnect: true,
  });
}
