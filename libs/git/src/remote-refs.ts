import { listServerRefs } from 'isomorphic-git';
import http from 'isomorphic-git/http/node';
import { authCallback, type GitCredentials } from './credentials';
import { toGitError } from './git-error';

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
 * v1 sends every ref, peeled tags and HEAD's target in that one response), no fetch.
 */
export async function listRemoteRefs(url: string, auth?: GitCredentials): Promise<RemoteRef[]> {
  try {
    const refs = await listServerRefs({
      http,
      url,
      onAuth: authCallback(auth),
      protocolVersion: 1,
      symrefs: true,
      peelTags: true,
    });
    return refs.map((ref) => ({
      name: ref.ref,
      sha: ref.oid,
      commit: ref.peeled ?? ref.oid,
      ...(ref.target && { target: ref.target }),
    }));
  } catch (error) {
    throw toGitError(error, url);
  }
}

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
  const byName = new Map(refs.map((ref) => [ref.name, ref]));
  const candidates = [
    revision,
    `refs/${revision}`,
    `refs/tags/${revision}`,
    `refs/heads/${revision}`,
  ];
  for (const name of candidates) {
    const ref = byName.get(name);
    if (ref) return ref.commit;
  }
  return undefined;
}
