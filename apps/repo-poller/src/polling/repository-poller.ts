import type { ApplicationRegistration } from '@cairn/contracts';
import {
  fetchRevision,
  GitCommitTree,
  GitError,
  type GitCredentials,
  listRemoteRefs,
  type RemoteRef,
  resolveRemoteRef,
} from '@cairn/git';
import { SecretBox } from '@cairn/secrets';
import { Injectable, Logger } from '@nestjs/common';
import { PollerConfig } from '../config/poller-config';
import { AppRenderer } from './app-renderer';
import { RepositoryLeases } from '../replicas/repository-leases';
import { PollerMetrics, type PollResult } from './poller-metrics';
import { ProblemLog } from './problem-log';
import { PublishedRenders } from './published-renders';
import { RenderMemory } from './render-memory';
import { RepositoryCredentials } from './repository-credentials';
import type { PollOutcome } from './repository-slot';
import { redactedUrlOf, type WatchedRepository } from './watched-repositories';

/**
 * One poll of one repository, the same whether a timer, a webhook or a refresh asked:
 * 1. one ref advertisement (no fetch) and, per application, the commit its targetRevision
 *    names now; an application already rendered at that commit costs nothing more;
 * 2. when one moved: the repository's lease (RepositoryLeases: one replica at a time), the
 *    refs again, and per commit that some application moved to, one fetch unless cached;
 * 3. per such application: AppRenderer brings it up to that commit.
 * A failure is logged with the repository (never its credentials) and the reason, and
 * retried by the next poll: only what succeeded is remembered.
 */
/** How long a poll that saw a ref move waits for another replica to finish with the repository. */
const LEASE_WAIT_MS = 10_000;

@Injectable()
export class RepositoryPoller {
  private readonly logger = new Logger(RepositoryPoller.name);
  readonly problems = new ProblemLog(this.logger);
  private readonly credentials: RepositoryCredentials;

  constructor(
    private readonly config: PollerConfig,
    secrets: SecretBox,
    private readonly renderer: AppRenderer,
    private readonly memory: RenderMemory,
    private readonly published: PublishedRenders,
    private readonly leases: RepositoryLeases,
    private readonly metrics: PollerMetrics,
  ) {
    this.credentials = new RepositoryCredentials(secrets);
  }

  async poll(repository: WatchedRepository): Promise<PollOutcome> {
    const endTimer = this.metrics.pollDuration.startTimer();
    const where = redactedUrlOf(repository);
    try {
      const auth = this.credentials.of(repository);
      const refs = await listRemoteRefs(repository.url, auth);
      this.problems.resolve(`repository ${repository.key}`, 'repository reachable again', {
        repository: where,
      });
      const result =
        (await this.appsToUpdate(repository, refs, false)).size === 0
          ? 'unchanged'
          : await this.updateUnderLease(repository, auth);
      this.metrics.polls.inc({ result });
      return { polled: true, repository: where };
    } catch (error) {
      this.metrics.polls.inc({ result: 'error' });
      const reason = (error as Error).message;
      this.problems.report(`repository ${repository.key}`, `cannot poll repository: ${reason}`, {
        repository: where,
        ...(error instanceof GitError && { reason: error.reason }),
      });
      return { polled: false, reason };
    } finally {
      endTimer();
    }
  }

  /**
   * Something moved: with the repository's lease (no other replica updating it), reads the
   * refs again and what was last published, so that what it publishes is never older than
   * what another replica published meanwhile, then fetches and renders.
   */
  private async updateUnderLease(
    repository: WatchedRepository,
    auth: GitCredentials | undefined,
  ): Promise<PollResult> {
    const lease = await this.leases.acquireWithin(repository.url, LEASE_WAIT_MS);
    if (!lease) return 'deferred';
    try {
      const refs = await listRemoteRefs(repository.url, auth);
      const moved = await this.appsToUpdate(repository, refs, true);
      let failures = 0;
      for (const [sha, apps] of moved) failures += await this.update(repository, sha, apps, auth);
      return failures > 0 ? 'error' : moved.size > 0 ? 'changed' : 'unchanged';
    } finally {
      await lease.release();
    }
  }

  /**
   * The applications whose revision now names another commit than they were rendered at, by
   * commit. What this replica does not remember (or, under the lease, anything) is first
   * looked up in what was last published: another replica may have done it already.
   */
  private async appsToUpdate(
    repository: WatchedRepository,
    refs: RemoteRef[],
    underLease: boolean,
  ): Promise<Map<string, ApplicationRegistration[]>> {
    const moved = new Map<string, ApplicationRegistration[]>();
    for (const app of repository.apps) {
      const { targetRevision } = app.spec.source;
      const sha = resolveRemoteRef(refs, targetRevision);
      if (!sha) {
        const problem = `revision "${targetRevision}" not found in ${redactedUrlOf(repository)}: no such branch or tag`;
        this.problems.report(`app ${app.name}`, problem, { app: app.name, cluster: app.cluster });
        continue;
      }
      let last = this.memory.lastFor(app);
      if (!last || (underLease && last.sha !== sha)) {
        const published = await this.published.recall(app);
        if (published) this.memory.remember(app, (last = published));
      }
      if (last?.sha === sha) continue;
      const apps = moved.get(sha);
      if (apps) apps.push(app);
      else moved.set(sha, [app]);
    }
    return moved;
  }

  /** Fetches `sha` (once) and brings each app up to it; returns how many apps failed. */
  private async update(
    repository: WatchedRepository,
    sha: string,
    apps: ApplicationRegistration[],
    auth: GitCredentials | undefined,
  ): Promise<number> {
    let failures = 0;
    try {
      await this.ensureFetched(repository, sha, apps[0].spec.source.targetRevision, auth);
    } catch (error) {
      for (const app of apps) this.reportAppFailure(app, sha, error);
      return apps.length;
    }
    for (const app of apps) {
      try {
        await this.renderer.bringUpToDate(repository, app, sha);
        this.problems.resolve(`app ${app.name}`, 'application rendered again', {
          app: app.name,
          cluster: app.cluster,
          revision: sha,
        });
      } catch (error) {
        this.reportAppFailure(app, sha, error);
        failures++;
      }
    }
    return failures;
  }

  private async ensureFetched(
    repository: WatchedRepository,
    sha: string,
    ref: string,
    auth: GitCredentials | undefined,
  ): Promise<void> {
    const { cacheDir } = this.config;
    if (await GitCommitTree.fromCache(cacheDir, repository.url, sha).isCached()) return;
    this.metrics.fetches.inc();
    const fetched = await fetchRevision({ url: repository.url, ref, cacheDir, auth });
    // The ref moved again between the advertisement and the fetch: the next poll sees it.
    if (
      fetched !== sha &&
      !(await GitCommitTree.fromCache(cacheDir, repository.url, sha).isCached())
    )
      throw new GitError(
        'RevisionNotFound',
        `"${ref}" moved from ${sha} to ${fetched} during the poll: the next poll takes it`,
      );
  }

  private reportAppFailure(app: ApplicationRegistration, sha: string, error: unknown): void {
    const problem = `cannot render application ${app.name} at ${sha}: ${(error as Error).message}`;
    this.problems.report(`app ${app.name}`, problem, {
      app: app.name,
      cluster: app.cluster,
      revision: sha,
      ...(error instanceof GitError && { reason: error.reason }),
    });
  }
}
