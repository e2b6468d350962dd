import type { ApplicationRegistration } from '@cairn/contracts';
import { GitCommitTree } from '@cairn/git';
import { loadManifests, ManifestError } from '@cairn/manifests';
import { Injectable, Logger } from '@nestjs/common';
import { PollerConfig } from '../config/poller-config';
import { PollerSession } from '../nats/poller-session';
import { DesiredStatePublisher, outcomeKey, type RenderOutcome } from './desired-state-publisher';
import { PollerMetrics } from './poller-metrics';
import { renderHeaders } from './published-renders';
import { RenderMemory } from './render-memory';
import type { WatchedRepository } from './watched-repositories';

/**
 * Brings one application up to a commit already in the git cache, in three steps:
 * 1. the app's folder has the same object id as at its last render (and nothing outside it
 *    was read through a symlink): nothing to render or say, only remember the commit;
 * 2. render: the manifests become a bundle in the bundle store, or, when the repository is
 *    at fault (bad YAML, a symlink leaving it, a limit), a render error naming file and line;
 * 3. publish the desired state, unless a re-render through symlinks came out the same.
 * Anything else that fails (git cache, NATS) throws, and the next poll tries again.
 */
@Injectable()
export class AppRenderer {
  private readonly logger = new Logger(AppRenderer.name);

  constructor(
    private readonly config: PollerConfig,
    private readonly session: PollerSession,
    private readonly publisher: DesiredStatePublisher,
    private readonly memory: RenderMemory,
    private readonly metrics: PollerMetrics,
  ) {}

  /** True when a desired state was published. */
  async bringUpToDate(
    repository: WatchedRepository,
    app: ApplicationRegistration,
    sha: string,
  ): Promise<boolean> {
    const tree = GitCommitTree.fromCache(this.config.cacheDir, repository.url, sha);
    const pathOid = await tree.oidAt(app.spec.source.path);
    const last = this.memory.lastFor(app);
    const sameFolder = last !== undefined && last.pathOid === pathOid;
    if (sameFolder && !last.followedSymlinks) {
      this.memory.remember(app, { ...last, sha });
      return false;
    }

    const outcome = await this.render(tree, app);
    const rendered = {
      sha,
      pathOid,
      outcome: outcomeKey(outcome),
      followedSymlinks: tree.followedSymlinks,
    };
    if (sameFolder && last.outcome === rendered.outcome) {
      this.memory.remember(app, rendered);
      return false;
    }
    await this.publisher.publish(app, sha, outcome, renderHeaders(app, rendered));
    this.memory.remember(app, rendered);
    const fields = { app: app.name, cluster: app.cluster, revision: sha, ...outcome };
    if ('renderError' in outcome) this.logger.warn({ msg: 'manifests are invalid', ...fields });
    else this.logger.log({ msg: 'published desired state', ...fields });
    return true;
  }

  private async render(tree: GitCommitTree, app: ApplicationRegistration): Promise<RenderOutcome> {
    try {
      const bundle = await loadManifests(tree, app.spec.source.path);
      await this.session.current.bundles.put(bundle);
      this.metrics.renders.inc({ result: 'success' });
      return { bundleDigest: bundle.digest };
    } catch (error) {
      if (error instanceof ManifestError) {
        this.metrics.renders.inc({ result: 'invalid' });
        return { renderError: error.message };
      }
      this.metrics.renders.inc({ result: 'error' });
      throw error;
    }
  }
}
