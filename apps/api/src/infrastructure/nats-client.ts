import type { Topology } from '@cairn/contracts';
import { connectNats, ensureTopology, type NatsConnectionOptions } from '@cairn/nats';
import type { NatsConnection } from '@nats-io/transport-node';
import type { OnApplicationShutdown } from '@nestjs/common';

/**
 * The api's NATS connection (registry writes, commands). The streams and the bundle store
 * are ensured before anything uses them, so the api needs no other service to start first.
 */
export class NatsClient implements OnApplicationShutdown {
  private constructor(readonly connection: NatsConnection) {}

  static async connect(
    server: Omit<NatsConnectionOptions, 'name'>,
    topology: Topology,
  ): Promise<NatsClient> {
    const connection = await connectNats({ ...server, name: 'api' });
    await ensureTopology(connection, topology);
    return new NatsClient(connection);
  }

  /** Resolves once the server answered a round trip; hangs (and times out) while disconnected. */
  async ping(): Promise<void> {
    if (this.connection.isClosed()) throw new Error('NATS connection is closed');
    await this.connection.flush();
  }

  async onApplicationShutdown(): Promise<void> {
    if (!this.connection.isClosed()) await this.connection.drain();
  }
}
