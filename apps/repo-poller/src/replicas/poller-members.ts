import { Membership, replicaBuckets } from '@cairn/replicas';
import {
  type BeforeApplicationShutdown,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { PollerSession } from '../nats/poller-session';

/**
 * The live repo-poller replicas (bucket `<root>_poller_members`): joined once the NATS
 * session is open, left on shutdown so that the others take this one's repositories at once.
 */
@Injectable()
export class PollerMembers
  extends Membership
  implements OnApplicationBootstrap, BeforeApplicationShutdown
{
  constructor(private readonly session: PollerSession) {
    super({
      bucket: replicaBuckets(session.topology, 'poller').members,
      role: 'repo-poller',
      logger: new Logger(PollerMembers.name),
    });
  }

  onApplicationBootstrap(): void {
    void this.session.opened.then(({ nc }) => this.join(nc));
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.leave();
  }
}
