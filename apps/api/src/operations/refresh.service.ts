import type { ApplicationSpec } from '@cairn/contracts';
import { Injectable, Logger } from '@nestjs/common';
import { ApplicationsService } from '../applications/applications.service';
import { type PollOutcome, PollRequester } from '../infrastructure/poll-requester';
import { OperationsService } from './operations.service';

/**
 * POST /applications/{name}/refresh: polls the app's repository now (the repo-poller
 * answers `<root>.poll`) and has the reconciler compare live and desired state again.
 */
@Injectable()
export class RefreshService {
  private readonly logger = new Logger(RefreshService.name);

  constructor(
    private readonly applications: ApplicationsService,
    private readonly operations: OperationsService,
    private readonly poller: PollRequester,
  ) {}

  /** `pollNow` is how the repository is polled: a bulk refresh polls each repository once. */
  async refresh(
    name: string,
    pollNow: (url: string) => Promise<PollOutcome> = (url) => this.poller.pollNow(url),
  ): Promise<{ id: string; poll: PollOutcome }> {
    const row = await this.applications.find(name);
    const url = (row.spec as ApplicationSpec).source.repoURL;
    const poll = await pollNow(url);
    const command = this.operations.command(name, { op: 'refresh' });
    await this.operations.publish(row, command);
    this.logger.log({ msg: 'refresh requested', app: name, polled: poll.polled });
    return { id: command.id, poll };
  }
}
