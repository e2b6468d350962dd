import { z } from 'zod';

/**
 * An application's spec in Argo CD's shape, so an Argo CD `Application` manifest works as
 * is: where its manifests are in git, where they go, and how Cairn keeps them in sync.
 */

const NamespaceName = z
  .string()
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, {
    error: 'must be a DNS-1123 label (a namespace name)',
  })
  .max(63);

export const ApplicationSource = z.object({
  repoURL: z
    .string({ error: 'is required: the git repository URL' })
    .min(1, { error: 'is required' }),
  /** Folder of the manifests in the repository; "." is its root. */
  path: z.string().default('.'),
  /** A branch, a tag or a commit SHA; HEAD is the remote's default branch. */
  targetRevision: z.string().min(1).default('HEAD'),
});

export const ApplicationDestination = z
  .object({
    /** A registered cluster's name, or ... */
    name: z.string().min(1).optional(),
    /** ... its API server URL, as Argo CD allows. */
    server: z.string().min(1).optional(),
    /** Where namespaced objects without a namespace of their own go. */
    namespace: NamespaceName.optional(),
  })
  .refine((d) => d.name !== undefined || d.server !== undefined, {
    error: 'names no cluster: give destination.name or destination.server',
  });

/** `SyncOptions` Cairn understands, in Argo CD's `Key=value` spelling. */
export const SYNC_OPTIONS = ['CreateNamespace=true', 'PruneLast=true', 'Prune=false'] as const;

export const SyncPolicy = z.object({
  /** Present: sync on every new revision, without anyone asking. */
  automated: z
    .object({
      prune: z.boolean().default(false),
      selfHeal: z.boolean().default(false),
    })
    .optional(),
  syncOptions: z.array(z.string()).default([]),
});

/**
 * Differences that never make the app OutOfSync, in Argo CD's shape: for the objects it
 * matches (group "" is the core API; `*` matches any group or kind), JSON pointers to leave
 * out, and field managers whose fields to leave out (e.g. an HPA's spec.replicas).
 */
export const IgnoreDifference = z.object({
  group: z.string().default(''),
  kind: z.string().min(1, { error: 'is required: the kind of objects it applies to, or *' }),
  name: z.string().min(1).optional(),
  namespace: z.string().min(1).optional(),
  jsonPointers: z
    .array(z.string().regex(/^\//, { error: 'must be a JSON pointer, e.g. /spec/replicas' }))
    .default([]),
  managedFieldsManagers: z.array(z.string().min(1)).default([]),
});

export const ApplicationSpec = z.object({
  source: ApplicationSource,
  destination: ApplicationDestination,
  syncPolicy: SyncPolicy.default({ syncOptions: [] }),
  ignoreDifferences: z.array(IgnoreDifference).optional(),
  /** How many completed syncs history keeps (Argo CD's revisionHistoryLimit); default 10. */
  revisionHistoryLimit: z.number().int().min(1).max(1000).optional(),
});

export type ApplicationSource = z.infer<typeof ApplicationSource>;
export type ApplicationDestination = z.infer<typeof ApplicationDestination>;
export type SyncPolicy = z.infer<typeof SyncPolicy>;
export type IgnoreDifference = z.infer<typeof IgnoreDifference>;
export type ApplicationSpec = z.infer<typeof ApplicationSpec>;

export function hasSyncOption(
  spec: ApplicationSpec,
  option: (typeof SYNC_OPTIONS)[number],
): boolean {
  return spec.syncPolicy.syncOptions.includes(option);
}
