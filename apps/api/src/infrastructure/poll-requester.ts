import { Topology } from '@cairn/contracts';
import { Injectable, Logger } from '@nestjs/common';
import { NatsClient } from './nats-client';

/** How long a poll request waits for the repo-poller to poll the repository. */
const POLL_TIMEOUT_MS = 10_000;

/** The repo-poller's answer to `<root>.poll`, or why there was none. */
export type PollOutcome = { polled: true; repository?: string } | { polled: false; reason: string };

/** Asks the repo-poller (`<root>.poll` request/reply) to poll a repository now. */
@Injectable()
export class PollRequester {
  private readonly logger = new Logger(PollRequester.name);

  constructor(
    private readonly nats: NatsClient,
    private readonly topology: Topology,
  ) {}

  /** Never throws: no poller answering is an outcome, reported to the caller. */
  async pollNow(url: string): Promise<PollOutcome> {
    try {
      const reply = await this.nats.connection.request(
        `${this.topology.root}.poll`,
        JSON.stringify({ url }),
        { timeout: POLL_TIMEOUT_MS },
      );
      return reply.json<PollOutcome>();
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      this.logger.warn({ msg: 'poll request unanswered', reason });
      return { polled: false, reason: `the repo-poller did not answer: ${reason}` };
    }
  }
}
