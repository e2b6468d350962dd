import type { ApplicationSpec } from '@cairn/contracts';
import { normalizeRepositoryUrl } from '@cairn/git';
import type { ApplicationEntity } from '@cairn/persistence';
import { ConflictException, HttpException, Injectable, Logger } from '@nestjs/common';
import { ApplicationsService } from '../applications/applications.service';
import { AuditTrail } from '../audit/audit-trail';
import { type PollOutcome, PollRequester } from '../infrastructure/poll-requester';
import type { BulkRefreshRequest, BulkSelection, BulkSyncRequest } from './bulk-request';
import { ADMIN } from './operations.service';
import { RefreshService } from './refresh.service';

/** What became of one application of a bulk operation. */
export interface BulkResult {
  name: string;
  /** conflict: another operation runs on it (message names it); failed: message says why. */
  result: 'started' | 'conflict' | 'failed';
  /** The operation's id, when it started. */
  operation?: string;
  message?: string;
  /** Refresh: what the repo-poller answered for the app's repository. */
  poll?: PollOutcome;
}

/**
 * POST /applications/sync and /applications/refresh: the single-app operation for every
 * application a label selector, cluster or namespace selects, each with its own result.
 * An application busy with another operation is a per-app conflict, not a 409 for all;
 * each one is in the audit trail of that application.
 */
@Injectable()
export class BulkOperationsService {
  private readonly logger = new Logger(BulkOperationsService.name);

  constructor(
    private readonly applications: ApplicationsService,
    private readonly refreshes: RefreshService,
    private readonly poller: PollRequester,
    private readonly audit: AuditTrail,
  ) {}

  async sync(request: BulkSyncRequest): Promise<BulkResult[]> {
    const { prune, dryRun } = request;
    const results: BulkResult[] = [];
    for (const row of await this.applications.matching(request)) {
      results.push(
        await this.attempt(row.name, 'sync', async () => {
          const { id } = await this.applications.sync(row.name, {
            ...(prune !== undefined && { prune }),
            ...(dryRun !== undefined && { dryRun }),
          });
          return { operation: id };
        }),
      );
    }
    this.logged('sync', request, results);
    return results;
  }

  async refresh(request: BulkRefreshRequest): Promise<BulkResult[]> {
    const rows = await this.applications.matching(request);
    const polls = this.pollEachRepositoryOnce(rows);
    const results: BulkResult[] = [];
    for (const row of rows) {
      results.push(
        await this.attempt(row.name, 'refresh', async () => {
          const { id, poll } = await this.refreshes.refresh(row.name, polls);
          return { operation: id, poll };
        }),
      );
    }
    this.logged('refresh', request, results);
    return results;
  }

  /** Starts one app's operation; whatever happens is that app's result, and its audit record. */
  private async attempt(
    name: string,
    op: 'sync' | 'refresh',
    start: () => Promise<Pick<BulkResult, 'operation' | 'poll'>>,
  ): Promise<BulkResult> {
    let result: BulkResult;
    let outcome = 202;
    try {
      result = { name, result: 'started', ...(await start()) };
    } catch (error) {
      outcome = error instanceof HttpException ? error.getStatus() : 500;
      const message = error instanceof Error ? error.message : String(error);
      if (error instanceof ConflictException) {
        result = { name, result: 'conflict', message };
      } else {
        result = { name, result: 'failed', message };
        this.logger.error({ msg: `bulk ${op} failed for an application`, app: name, err: error });
      }
    }
    await this.audit.record({
      actor: ADMIN,
      action: `POST /api/v1/applications/${op}`,
      app: name,
      outcome,
      message: result.message ?? null,
    });
    return result;
  }

  /** Apps of one repository share one poll: started at once, for every repository in parallel. */
  private pollEachRepositoryOnce(rows: ApplicationEntity[]): (url: string) => Promise<PollOutcome> {
    const polls = new Map<string, Promise<PollOutcome>>();
    const pollOnce = (url: string) => {
      const key = repositoryKey(url);
      let poll = polls.get(key);
      if (!poll) polls.set(key, (poll = this.poller.pollNow(url)));
      return poll;
    };
    for (const row of rows) void pollOnce((row.spec as ApplicationSpec).source.repoURL);
    return pollOnce;
  }

  private logged(op: string, request: BulkSelection, results: BulkResult[]): void {
    const count = (result: BulkResult['result']) =>
      results.filter((r) => r.result === result).length;
    this.logger.log({
      msg: `bulk ${op}`,
      selector: request.selector?.text,
      cluster: request.cluster,
      namespace: request.namespace,
      started: count('started'),
      conflict: count('conflict'),
      failed: count('failed'),
    });
  }
}

function repositoryKey(url: string): string {
  try {
    return normalizeRepositoryUrl(url);
  } catch {
    return url.trim();
  }
}
