import { Command, encode, Topology } from '@cairn/contracts';
import { jetstream } from '@nats-io/jetstream';
import { Injectable } from '@nestjs/common';
import { NatsClient } from './nats-client';

/** Puts user commands on `<root>.cmd.<cluster>.<app>`, where that cluster's reconciler reads them. */
@Injectable()
export class CommandPublisher {
  constructor(
    private readonly nats: NatsClient,
    private readonly topology: Topology,
  ) {}

  async publish(cluster: string, command: Command): Promise<void> {
    await jetstream(this.nats.connection).publish(
      this.topology.subjects.command(cluster, command.app),
      encode(Command, command),
      // The command id doubles as JetStream's de-duplication id: a retried publish lands once.
      { msgID: command.id },
    );
  }
}
