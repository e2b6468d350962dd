import { z } from 'zod';
import { SchemaVersion1 } from './codec';
import { AppName } from './names';

/** A full git commit SHA: SHA-1 (40 hex) or SHA-256 (64 hex) repositories. */
export const Revision = z.string().regex(/^[0-9a-f]{40}([0-9a-f]{24})?$/, {
  error: 'must be a full git commit SHA (40 or 64 lowercase hex characters)',
});

/** Address of a rendered manifest bundle in the object store: the SHA-256 of its content. */
export const BundleDigest = z.string().regex(/^sha256:[0-9a-f]{64}$/, {
  error: 'must be "sha256:" followed by 64 lowercase hex characters',
});

/**
 * `cairn.desired.<cluster>.<app>`: what an app should look like on a cluster, published by
 * the repo-poller once per commit that changes the app (and by the api for rollbacks).
 * Applying the same revision and digest twice is a no-op.
 */
export const DesiredState = z
  .object({
    v: SchemaVersion1,
    app: AppName,
    revision: Revision,
    /** The rendered manifests; absent when rendering failed (then renderError says why). */
    bundleDigest: BundleDigest.optional(),
    /** Why this revision could not be rendered: file and line of malformed YAML, ... */
    renderError: z.string().max(4096).optional(),
    /** Why it changed, for people: "new commit on main", "rollback to history 3". */
    reason: z.string().min(1).max(1024),
  })
  .refine((d) => (d.bundleDigest === undefined) !== (d.renderError === undefined), {
    error: 'exactly one of bundleDigest and renderError must be given',
  })
  .describe('DesiredState');

export type DesiredState = z.infer<typeof DesiredState>;
