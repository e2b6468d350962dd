import type { Msg, Subscription } from '@nats-io/transport-node';
import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { PollerSession } from '../nats/poller-session';
import { PollScheduler } from './poll-scheduler';
import type { PollOutcome } from './repository-slot';

/**
 * `<root>.poll` request/reply: `{"url": "<repository URL>"}` polls that repository now and
 * answers `{"polled": true, "repository"}` or `{"polled": false, "reason"}` once the poll is
 * done. Webhooks and refreshes use it. A plain NATS subscription (queue group
 * `repo-poller`, so one replica answers) rather than Nest's NATS transport: its subject
 * depends on CAIRN_NATS_PREFIX, and any client can send a plain JSON request.
 */
@Injectable()
export class PollRequests implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(PollRequests.name);
  private subscription?: Subscription;

  constructor(
    private readonly session: PollerSession,
    private readonly scheduler: PollScheduler,
  ) {}

  onApplicationBootstrap(): void {
    void this.scheduler.started.then(() => this.subscribe());
  }

  onModuleDestroy(): void {
    this.subscription?.unsubscribe();
  }

  /** The answer to one request's payload. */
  async answer(data: Uint8Array): Promise<PollOutcome> {
    let url: unknown;
    try {
      url = (JSON.parse(new TextDecoder().decode(data)) as { url?: unknown } | null)?.url;
    } catch {
      // answered below like any request without a url
    }
    if (typeof url !== 'string' || url.trim() === '') {
      return { polled: false, reason: 'a poll request is JSON {"url": "<repository URL>"}' };
    }
    return this.scheduler.pollRepository(url);
  }

  private subscribe(): void {
    const { nc, topology } = this.session.current;
    const subject = `${topology.root}.poll`;
    this.subscription = nc.subscribe(subject, {
      queue: 'repo-poller',
      callback: (error, msg) => {
        if (error)
          this.logger.error({ msg: 'poll request subscription failed', error: error.message });
        else void this.reply(msg);
      },
    });
    this.logger.log({ msg: 'answering poll requests', subject });
  }

  private async reply(msg: Msg): Promise<void> {
    const outcome = await this.answer(msg.data);
    if (!msg.respond(JSON.stringify(outcome))) {
      this.logger.warn({ msg: 'poll request without a reply subject', subject: msg.subject });
    }
  }
}
