import { Topology } from '@cairn/contracts';
import { BundleStore } from '@cairn/nats';
import { RegistryWriter } from '@cairn/registry';
import { ReadinessChecks } from '@cairn/runtime';
import { SecretBox } from '@cairn/secrets';
import { Global, Injectable, Module, type OnModuleInit } from '@nestjs/common';
import { ApiConfig } from '../config/api-config';
import { CommandPublisher } from './command-publisher';
import { EventPublisher } from './event-publisher';
import { NatsClient } from './nats-client';
import { PollRequester } from './poll-requester';

@Injectable()
class NatsReadiness implements OnModuleInit {
  constructor(
    private readonly nats: NatsClient,
    private readonly readiness: ReadinessChecks,
  ) {}

  onModuleInit(): void {
    this.readiness.register('nats', () => this.nats.ping());
  }
}

/**
 * NATS and what travels over it: the topology (names of every subject, stream and bucket,
 * from CAIRN_NATS_PREFIX), the registry buckets the api writes, commands and events it
 * publishes, the bundle store it reclaims, and the SecretBox that seals credentials
 * before they go anywhere.
 */
@Global()
@Module({
  providers: [
    {
      provide: Topology,
      inject: [ApiConfig],
      useFactory: (config: ApiConfig) => new Topology(config.topologyRoot),
    },
    {
      provide: NatsClient,
      inject: [ApiConfig, Topology],
      useFactory: (config: ApiConfig, topology: Topology) =>
        NatsClient.connect({ url: config.natsServers, auth: config.natsAuth }, topology),
    },
    {
      provide: RegistryWriter,
      inject: [NatsClient, Topology],
      useFactory: (nats: NatsClient, topology: Topology) =>
        RegistryWriter.open(nats.connection, topology),
    },
    {
      provide: SecretBox,
      inject: [ApiConfig],
      useFactory: (config: ApiConfig) => SecretBox.fromBase64Key(config.encryptionKey),
    },
    {
      provide: BundleStore,
      inject: [NatsClient, Topology],
      useFactory: (nats: NatsClient, topology: Topology) =>
        BundleStore.open(nats.connection, topology),
    },
    CommandPublisher,
    EventPublisher,
    PollRequester,
    NatsReadiness,
  ],
  exports: [
    Topology,
    NatsClient,
    RegistryWriter,
    SecretBox,
    BundleStore,
    CommandPublisher,
    EventPublisher,
    PollRequester,
  ],
})
export class MessagingModule {}
