import * as fs from 'node:fs';
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { join } from 'node:path';
import * as git from 'isomorphic-git';
import http from 'isomorphic-git/http/node';
import { authCallback, type GitCredentials } from './credentials';
import { GitError, toGitError } from './git-error';
import { isCommitSha } from './remote-refs';
import { redactUrl, repositoryCacheKey } from './repository-url';

/**
 * Fetches revisions into an on-disk cache: one bare repository per repository URL (keyed by
 * the normalized URL), filled by shallow, single-branch fetches, so a poller that sees a
 * ref move downloads only the tree of the new commit.
 */

export interface FetchRevisionOptions {
  /** The repository URL as registered; the cache is keyed by its normalized form. */
  url: string;
  /** A branch, a tag or a full commit SHA (`HEAD` is the default branch). */
  ref: string;
  /** Root of the cache; each repository gets its own directory below it. */
  cacheDir: string;
  auth?: GitCredentials;
}

/** The bare repository in `cacheDir` that holds what was fetched from `url`. */
export function repositoryCacheDir(cacheDir: string, url: string): string {
  return join(cacheDir, repositoryCacheKey(url));
}

/**
 * Makes the commit `ref` names available in the repository's cache and returns its SHA.
 * A full SHA already in the cache costs no network round trip; anything else is one
 * depth-1 fetch. Read files with readFileAt(repositoryCacheDir(cacheDir, url), sha, path).
 */
export async function fetchRevision(options: FetchRevisionOptions): Promise<string> {
  const gitdir = repositoryCacheDir(options.cacheDir, options.url);
  return serialized(gitdir, async () => {
    await ensureCacheRepository(gitdir, options.url);
    if (isCommitSha(options.ref) && (await hasCommit(gitdir, options.ref)))
      return options.ref.toLowerCase();
    let fetched: string | null;
    try {
      const result = await git.fetch({
        fs,
        http: patientHttp(options.url),
        gitdir,
        url: options.url,
        ref: options.ref,
        singleBranch: true,
        depth: 1,
        tags: false,
        onAuth: authCallback(options.auth),
      });
      fetched = result.fetchHead;
    } catch (error) {
      throw toGitError(error, options.url, options.ref);
    }
    if (!fetched) {
      throw new GitError(
        'RevisionNotFound',
        `repository ${redactUrl(options.url)} is empty: nothing to fetch`,
      );
    }
    return peelToCommit(gitdir, fetched);
  });
}

/**
 * Node's global agent gives up on a socket silent for 5 s, and a busy git server can think
 * longer than that before the pack starts: fetches get agents that wait two minutes.
 */
const FETCH_IDLE_TIMEOUT_MS = 120_000;
const fetchAgents = {
  http: new HttpAgent({ keepAlive: true, timeout: FETCH_IDLE_TIMEOUT_MS }),
  https: new HttpsAgent({ keepAlive: true, timeout: FETCH_IDLE_TIMEOUT_MS }),
};

function patientHttp(url: string): git.HttpClient {
  const agent = /^https:/i.test(url) ? fetchAgents.https : fetchAgents.http;
  return { request: (request) => http.request({ ...request, agent }) };
}

async function ensureCacheRepository(gitdir: string, url: string): Promise<void> {
  if (!fs.existsSync(join(gitdir, 'config'))) {
    await git.init({ fs, gitdir, bare: true });
  }
  // isomorphic-git records fetched branches through the remote's refspec and fails without one.
  if (!(await git.getConfig({ fs, gitdir, path: 'remote.origin.fetch' }))) {
    await git.setConfig({ fs, gitdir, path: 'remote.origin.url', value: redactUrl(url) });
    await git.setConfig({
      fs,
      gitdir,
      path: 'remote.origin.fetch',
      value: '+refs/heads/*:refs/remotes/origin/*',
    });
  }
}

async function hasCommit(gitdir: string, sha: string): Promise<boolean> {
  try {
    await git.readCommit({ fs, gitdir, oid: sha.toLowerCase() });
    return true;
  } catch {
    return false;
  }
}

/** An annotated tag names a tag object; what users deploy is the commit behind it. */
async function peelToCommit(gitdir: string, oid: string): Promise<string> {
  for (let depth = 0; depth < 10; depth++) {
    const { type, object } = await git.readObject({ fs, gitdir, oid, format: 'parsed' });
    if (type === 'commit') return oid;
    if (type !== 'tag') break;
    oid = (object as git.TagObject).object;
  }
  throw new GitError('RevisionNotFound', `${oid} does not name a commit`);
}

/**
 * Two fetches into one cache directory would race on its refs and shallow file, so calls
 * for the same repository run one after another (within this process).
 */
const queues = new Map<string, Promise<unknown>>();

function serialized<T>(key: string, work: () => Promise<T>): Promise<T> {
  const previous = queues.get(key) ?? Promise.resolve();
  const next = previous.catch(() => undefined).then(work);
  queues.set(key, next);
  const forget = () => {
    if (queues.get(key) === next) queues.delete(key);
  };
  next.then(forget, forget);
  return next;
}
