import { readFileSync } from 'node:fs';
import {
  type ConnectionOptions,
  connect,
  credsAuthenticator,
  type NatsConnection,
} from '@nats-io/transport-node';

/** Who a service is to the NATS server (one way at a time); the shape of @cairn/runtime's settings. */
export interface NatsAuth {
  /** A NATS .creds file (user JWT and NKey seed); read at every (re)connection, so rotation works. */
  credentialsFile?: string;
  user?: string;
  password?: string;
  token?: string;
}

export interface NatsConnectionOptions {
  /** One server or several, e.g. nats://127.0.0.1:4222 */
  url: string | string[];
  /** Shown by the server (connz) and in its logs: name the service and its instance. */
  name: string;
  /** Unset: the server asks for no authentication. */
  auth?: NatsAuth;
  /**
   * Where replies (request/reply, JetStream API answers and deliveries) come back. A client
   * whose permissions are scoped (an agent) gets one of its own, so that it may subscribe
   * to its replies and to nobody else's.
   */
  inboxPrefix?: string;
}

/**
 * Connects to NATS and never gives up: a service that loses NATS keeps retrying (also
 * for the first connection, so start order does not matter) instead of exiting, and
 * JetStream redelivers whatever was in flight. A server that refuses the credentials twice
 * in a row ends the attempts (the client's default), so a wrong password fails the start.
 */
export function connectNats(options: NatsConnectionOptions): Promise<NatsConnection> {
  return connect({
    servers: options.url,
    name: options.name,
    maxReconnectAttempts: -1,
    reconnectTimeWait: 1_000,
    waitOnFirstConnect: true,
    ...(options.inboxPrefix && { inboxPrefix: options.inboxPrefix }),
    ...authOptions(options.auth),
  });
}

function authOptions(auth: NatsAuth | undefined): Partial<ConnectionOptions> {
  if (!auth) return {};
  const { credentialsFile, user, password, token } = auth;
  if (credentialsFile !== undefined)
    return { authenticator: credsAuthenticator(() => readFileSync(credentialsFile)) };
  if (token !== undefined) return { token };
  if (user !== undefined) return { user, pass: password };
  return {};
}
