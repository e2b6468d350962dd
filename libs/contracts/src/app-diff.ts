import { z } from 'zod';
import { SchemaVersion1 } from './codec';
import { Revision } from './desired-state';
import { AppName, assertDnsLabel, ClusterName } from './names';
import type { Topology } from './topology';

/**
 * `<root>.diff.<cluster>` request/reply: how an app's declared objects differ from the live
 * ones, asked of the reconciler that serves the app's cluster (GET /applications/{name}/diff).
 * Plain NATS request/reply, JSON both ways: the answer is computed on demand, nothing to keep.
 */
export function diffSubject(topology: Topology, cluster: string): string {
  assertDnsLabel('cluster name', cluster);
  return `${topology.root}.diff.${cluster}`;
}

export const DiffRequest = z.object({ v: SchemaVersion1, app: AppName }).describe('DiffRequest');

/** One field that differs; `path` is "" for a whole object that is missing or not declared. */
export const FieldDiff = z.object({
  path: z.string(),
  /** null: not in the cluster. Secret values are masked. */
  live: z.unknown(),
  /** null: not declared. Secret values are masked. */
  desired: z.unknown(),
});

export const ResourceDiff = z.object({
  group: z.string(),
  kind: z.string().min(1),
  namespace: z.string().optional(),
  name: z.string().min(1),
  diff: z.array(FieldDiff),
  /** Why this object could not be compared (the API server's dry-run verdict, masked). */
  error: z.string().max(4096).optional(),
});

/** The differing objects only: an app in sync answers an empty list. */
export const DiffReply = z
  .discriminatedUnion('ok', [
    z.object({
      v: SchemaVersion1,
      ok: z.literal(true),
      app: AppName,
      cluster: ClusterName,
      /** The git revision the declared objects come from. */
      revision: Revision.optional(),
      resources: z.array(ResourceDiff),
    }),
    z.object({
      v: SchemaVersion1,
      ok: z.literal(false),
      /** NotFound: the app has nothing rendered or registered here; Unavailable: try later. */
      reason: z.enum(['NotFound', 'Unavailable']),
      message: z.string().max(4096),
    }),
  ])
  .describe('DiffReply');

export type DiffRequest = z.infer<typeof DiffRequest>;
export type FieldDiff = z.infer<typeof FieldDiff>;
export type ResourceDiff = z.infer<typeof ResourceDiff>;
export type DiffReply = z.infer<typeof DiffReply>;
