import type { ApplicationRegistration } from '@cairn/contracts';
import { renderKey } from './watched-repositories';

/** What an application was last rendered from and to. */
export interface RenderedRevision {
  /** The commit it was last seen at; a poll that resolves to this SHA does nothing. */
  sha: string;
  /** Object id of the app's path at that commit; undefined when the path did not exist. */
  pathOid: string | undefined;
  /** The bundle digest, or the render error: what was published. */
  outcome: string;
  /** Rendering read a symlink, so content outside the path may have changed with pathOid equal. */
  followedSymlinks: boolean;
}

/**
 * The repo-poller's only state: per application, the last revision it rendered. Kept in
 * memory; after a restart, or when a repository moves from another replica, it is filled
 * from the last desired state published (PublishedRenders), so nothing is fetched again.
 */
export class RenderMemory {
  private readonly byApp = new Map<string, RenderedRevision & { renderKey: string }>();

  /** The last render, unless the app's cluster, repository, path or revision changed since. */
  lastFor(app: ApplicationRegistration): RenderedRevision | undefined {
    const last = this.byApp.get(app.name);
    return last && last.renderKey === renderKey(app) ? last : undefined;
  }

  remember(app: ApplicationRegistration, rendered: RenderedRevision): void {
    this.byApp.set(app.name, { ...rendered, renderKey: renderKey(app) });
  }

  /** Forgets these applications: what another replica did meanwhile is in the desired stream. */
  forget(apps: readonly ApplicationRegistration[]): void {
    for (const app of apps) this.byApp.delete(app.name);
  }

  /** Drops every application not in `names`: removed apps are forgotten. */
  keepOnly(names: ReadonlySet<string>): void {
    for (const name of this.byApp.keys()) if (!names.has(name)) this.byApp.delete(name);
  }
}
