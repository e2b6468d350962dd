import type { GitCredentials } from './credentials';
import { toGitError } from './git-error';
import { requestRefAdvertisement } from './smart-http/advertisement-request';
import { parseRefAdvertisement } from './smart-http/ref-advertisement';

/** One ref as the server advertises it. */
export interface RemoteRef {
  /** Full name: HEAD, refs/heads/main, refs/tags/v1.0.0 */
  name: string;
  /** What the ref points at; for an annotated tag that is the tag object, see `commit`. */
  sha: string;
  /** The commit the ref finally names (annotated tags peeled). */
  commit: string;
  /** For a symbolic ref (HEAD): the ref it points to. */
  target?: string;
}

/**
 * The cheap "did anything move?" check: a single smart-HTTP ref advertisement (protocol
 * v1 sends every ref, peeled tags and HEAD's target in that one response), no fetch. It is
 * our own small client rather than isomorphic-git's listServerRefs, which costs several
 * times the CPU per call: polling a thousand repositories every 15 s is mostly this call.
 */
export async function listRemoteRefs(url: string, auth?: GitCredentials): Promise<RemoteRef[]> {
  try {
    const { body, where } = await requestRefAdvertisement(url, auth);
    return parseRefAdvertisement(body, where);
  } catch (error) {
    throw toGitError(error, url);
  }
}

/** git's order of lookup for a short name (gitrevisions). */
const CANDIDATE_PREFIXES = ['', 'refs/', 'refs/tags/', 'refs/heads/'];
const FULL_SHA = /^[0-9a-f]{40}$/i;

export function isCommitSha(ref: string): boolean {
  return FULL_SHA.test(ref);
}

/**
 * The commit a revision (as users write it: `main`, `v1.0.0`, `HEAD`, `refs/heads/main` or
 * a full SHA) names in an advertisement, looked up in git's own order (exact name, tag,
 * branch). A full SHA names itself. Undefined when the revision is not advertised.
 */
export function resolveRemoteRef(refs: RemoteRef[], revision: string): string | undefined {
  if (isCommitSha(revision)) return revision.toLowerCase();
  // A scan per candidate rather than a Map: called on every poll, usually over a few refs.
  for (const prefix of CANDIDATE_PREFIXES) {
    for (const ref of refs) {
      if (
        ref.name.length === prefix.length + revision.length &&
        ref.name.startsWith(prefix) &&
        ref.name.endsWith(revision)
      )
        return ref.commit;
    }
  }
  return undefined;
}
