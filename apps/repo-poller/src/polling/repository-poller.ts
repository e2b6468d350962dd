import type { ApplicationRegistration } from '@cairn/contracts';
import {
  fetchRevision,
  GitCommitTree,
  GitError,
  type GitCredentials,
  listRemoteRefs,
  redactUrl,
  type RemoteRef,
  resolveRemoteRef,
} from '@cairn/git';
import { SecretBox } from '@cairn/secrets';
import { Injectable, Logger } from '@nestjs/common';
import { PollerConfig } from '../config/poller-config';
import { AppRenderer } from './app-renderer';
import { PollerMetrics } from './poller-metrics';
import { ProblemLog } from './problem-log';
import { RenderMemory } from './render-memory';
import { repositoryCredentials } from './repository-credentials';
import type { PollOutcome } from './repository-slot';
import type { WatchedRepository } from './watched-repositories';

/**
 * One poll of one repository, the same whether a timer, a webhook or a refresh asked:
 * 1. one ref advertisement (no fetch) and, per application, the commit its targetRevision
 *    names now; an application already rendered at that commit costs nothing more;
 * 2. per commit that some application moved to: one fetch, unless the cache has it;
 * 3. per such application: AppRenderer brings it up to that commit.
 * A failure is logged with the repository (never its credentials) and the reason, and
 * retried by the next poll: only what succeeded is remembered.
 */
@Injectable()
export class RepositoryPoller {
  private readonly logger = new Logger(RepositoryPoller.name);
  readonly problems = new ProblemLog(this.logger);

  constructor(
    private readonly config: PollerConfig,
    private readonly secrets: SecretBox,
    private readonly renderer: AppRenderer,
    private readonly memory: RenderMemory,
    private readonly metrics: PollerMetrics,
  ) {}

  async poll(repository: WatchedRepository): Promise<PollOutcome> {
    const endTimer = this.metrics.pollDuration.startTimer();
    const where = redactUrl(repository.url);
    try {
      const auth = repositoryCredentials(repository, this.secrets);
      const refs = await listRemoteRefs(repository.url, auth);
      this.problems.resolve(`repository ${repository.key}`, 'repository reachable again', {
        repository: where,
      });
      const moved = this.appsToUpdate(repository, refs);
      let failures = 0;
      for (const [sha, apps] of moved) failures += await this.update(repository, sha, apps, auth);
      const result = failures > 0 ? 'error' : moved.size > 0 ? 'changed' : 'unchanged';
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

  /** The applications whose revision now names another commit than they were rendered at, by commit. */
  private appsToUpdate(
    repository: WatchedRepository,
    refs: RemoteRef[],
  ): Map<string, ApplicationRegistration[]> {
    const moved = new Map<string, ApplicationRegistration[]>();
    for (const app of repository.apps) {
      const { targetRevision } = app.spec.source;
      const sha = resolveRemoteRef(refs, targetRevision);
      if (!sha) {
        const problem = `revision "${targetRevision}" not found in ${redactUrl(repository.url)}: no such branch or tag`;
        this.problems.report(`app ${app.name}`, problem, { app: app.name, cluster: app.cluster });
        continue;
      }
      if (this.memory.lastFor(app)?.sha === sha) continue;
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
