import { SecretBox } from '@cairn/secrets';
import { Module } from '@nestjs/common';
import { PollerConfig } from '../config/poller-config';
import { PollerSession } from '../nats/poller-session';
import { PollerMembers } from '../replicas/poller-members';
import { RepositoryLeases } from '../replicas/repository-leases';
import { AppRenderer } from './app-renderer';
import { DesiredStatePublisher } from './desired-state-publisher';
import { PollRequests } from './poll-requests';
import { PollScheduler } from './poll-scheduler';
import { PollerMetrics } from './poller-metrics';
import { PublishedRenders } from './published-renders';
import { RenderMemory } from './render-memory';
import { RepositoryPoller } from './repository-poller';

/** Ref checks, fetches, renders and desired-state messages for every watched repository. */
@Module({
  providers: [
    PollerSession,
    {
      provide: SecretBox,
      useFactory: (config: PollerConfig) => SecretBox.fromBase64Key(config.encryptionSecret),
      inject: [PollerConfig],
    },
    PollerMetrics,
    PollerMembers,
    RepositoryLeases,
    PublishedRenders,
    RenderMemory,
    DesiredStatePublisher,
    AppRenderer,
    RepositoryPoller,
    PollScheduler,
    PollRequests,
  ],
})
export class PollingModule {}
