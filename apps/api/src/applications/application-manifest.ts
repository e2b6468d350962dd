import { AppName, ApplicationSpec, Revision } from '@cairn/contracts';
import { z } from 'zod';
import { Labels } from './labels';

/**
 * The body of POST and PUT /applications: Cairn's own {metadata: {name}, spec}, or an
 * Argo CD Application manifest as is (apiVersion, kind and Argo-only fields such as
 * spec.project or metadata.namespace are accepted and not kept; metadata.labels are kept).
 */
export const ApplicationManifest = z.object({
  apiVersion: z
    .literal('argoproj.io/v1alpha1', {
      error: 'must be argoproj.io/v1alpha1 (an Argo CD Application), or left out',
    })
    .optional(),
  kind: z.literal('Application', { error: 'must be Application, or left out' }).optional(),
  metadata: z.object({ name: AppName, labels: Labels.optional() }),
  spec: ApplicationSpec,
});
export type ApplicationManifest = z.infer<typeof ApplicationManifest>;

/** POST /applications/{name}/sync; an empty body syncs the current desired revision. */
export const SyncRequest = z
  .object({
    /** A full commit SHA: the reconciler deploys exactly what was rendered for it. */
    revision: Revision.optional(),
    prune: z.boolean().optional(),
    dryRun: z.boolean().optional(),
  })
  .default({});
export type SyncRequest = z.infer<typeof SyncRequest>;

/** DELETE /applications/{name}?cascade=true also removes what the app deployed. */
export const DeleteQuery = z.object({
  cascade: z.enum(['true', 'false'], { error: 'must be true or false' }).optional(),
});

/** POST /applications/{name}/rollback: the history entry to deploy again. */
export const RollbackRequest = z.object({ id: z.number().int().nonnegative() });
export type RollbackRequest = z.infer<typeof RollbackRequest>;
