import { z } from 'zod';
import { type LabelSelector, Selector } from '../applications/label-selector';

/** Which applications a bulk operation acts on: each filter given must match. */
const selection = {
  /** A Kubernetes label selector on metadata.labels: `team=web,tier!=db`. */
  selector: Selector.optional(),
  /** The registered cluster the application deploys to. */
  cluster: z.string().min(1).optional(),
  /** spec.destination.namespace. */
  namespace: z.string().min(1).optional(),
};

/** What a bulk request selects by, as parsed. */
export interface BulkSelection {
  selector?: LabelSelector;
  cluster?: string;
  namespace?: string;
}

/** Nothing selects every application by default: one filter at least. */
function selectsSomething(request: BulkSelection): boolean {
  return (
    request.selector !== undefined ||
    request.cluster !== undefined ||
    request.namespace !== undefined
  );
}
const SELECTS_NOTHING = {
  path: ['selector'],
  error:
    'is required unless cluster or namespace is given: a bulk operation needs at least one of selector, cluster or namespace',
};

/** POST /applications/sync: a sync of every application selected. */
export const BulkSyncRequest = z
  .object({
    ...selection,
    /** Omitted: each application's own syncPolicy.automated.prune. */
    prune: z.boolean().optional(),
    dryRun: z.boolean().optional(),
  })
  .refine(selectsSomething, SELECTS_NOTHING);
export type BulkSyncRequest = z.infer<typeof BulkSyncRequest>;

/** POST /applications/refresh: a refresh of every application selected. */
export const BulkRefreshRequest = z.object(selection).refine(selectsSomething, SELECTS_NOTHING);
export type BulkRefreshRequest = z.infer<typeof BulkRefreshRequest>;
