import { HEALTH_STATUSES, SYNC_STATUSES } from '@cairn/contracts';
import { normalizeRepositoryUrl } from '@cairn/git';
import { z } from 'zod';
import type { ApplicationView } from './application-view';
import { Selector } from './label-selector';

/** GET /applications?selector=&cluster=&namespace=&repo=&sync=&health= ; each one given must match. */
export const ApplicationFilters = z.object({
  /** A Kubernetes label selector on metadata.labels: `team=web,tier!=db`. */
  selector: Selector.optional(),
  cluster: z.string().min(1).optional(),
  namespace: z.string().min(1).optional(),
  /** Any spelling of the repository URL: compared normalized. */
  repo: z.string().min(1).optional(),
  sync: z.enum(SYNC_STATUSES).optional(),
  health: z.enum(HEALTH_STATUSES).optional(),
});
export type ApplicationFilters = z.infer<typeof ApplicationFilters>;

export function matchesFilters(
  app: { view: ApplicationView; cluster: string },
  filters: ApplicationFilters,
): boolean {
  const { metadata, spec, status } = app.view;
  return (
    (filters.selector === undefined || filters.selector.matches(metadata.labels ?? {})) &&
    (filters.cluster === undefined || app.cluster === filters.cluster) &&
    (filters.namespace === undefined || spec.destination.namespace === filters.namespace) &&
    (filters.repo === undefined || sameRepository(spec.source.repoURL, filters.repo)) &&
    (filters.sync === undefined || status.sync.status === filters.sync) &&
    (filters.health === undefined || status.health.status === filters.health)
  );
}

function sameRepository(a: string, b: string): boolean {
  return identity(a) === identity(b);
}

function identity(url: string): string {
  try {
    return normalizeRepositoryUrl(url);
  } catch {
    return url.trim();
  }
}
