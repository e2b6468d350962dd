import * as fs from 'node:fs';
import { posix } from 'node:path';
import type { SourceTree, TreeEntry } from '@cairn/manifests';
import * as git from 'isomorphic-git';
import { repositoryCacheDir } from './fetch-revision';
import { GitError } from './git-error';

const SYMLINK_MODE = '120000';

/**
 * One fetched commit as a SourceTree, read straight from the cache's object store (no
 * checkout), so loadManifests can render any cached revision. A symlink is listed as one,
 * with its target as its content; whether the target stays inside the repository is
 * loadManifests' call. Submodules are left out: their content is not in this repository.
 */
export class GitCommitTree implements SourceTree {
  // Without a cache object isomorphic-git re-reads the pack index on every call; one per
  // tree keeps a render fast and lets the memory go with the tree.
  private readonly cache = {};
  private symlinkFollowed = false;
  private rootTree?: Promise<string>;

  constructor(
    /** The bare cache repository: repositoryCacheDir(cacheDir, url). */
    readonly gitdir: string,
    /** A commit already fetched into it (fetchRevision). */
    readonly sha: string,
  ) {}

  static fromCache(cacheDir: string, url: string, sha: string): GitCommitTree {
    return new GitCommitTree(repositoryCacheDir(cacheDir, url), sha);
  }

  /**
   * True once a symlink has been read: what was rendered then depends on paths outside the
   * folder it was asked for, so that folder's object id alone no longer identifies it.
   */
  get followedSymlinks(): boolean {
    return this.symlinkFollowed;
  }

  /** Whether the commit is in the cache, i.e. can be read without a fetch. */
  async isCached(): Promise<boolean> {
    try {
      await this.rootTreeOid();
      return true;
    } catch {
      return false;
    }
  }

  async list(dir: string): Promise<TreeEntry[]> {
    const entries = await this.readDirectory(dir);
    return entries
      .filter((entry) => entry.type !== 'commit')
      .map((entry) => ({
        path: dir ? `${dir}/${entry.path}` : entry.path,
        type: entry.type === 'tree' ? 'dir' : entry.mode === SYMLINK_MODE ? 'symlink' : 'file',
      }));
  }

  async read(path: string): Promise<Uint8Array> {
    const entry = await this.entryAt(path);
    if (entry?.type !== 'blob' || entry.mode === SYMLINK_MODE) {
      throw new GitError('NotAFile', `${path} at ${this.sha} is not a regular file`);
    }
    return this.blob(entry.oid);
  }

  async readLink(path: string): Promise<string> {
    const entry = await this.entryAt(path);
    if (entry?.mode !== SYMLINK_MODE) {
      throw new GitError('NotAFile', `${path} at ${this.sha} is not a symlink`);
    }
    this.symlinkFollowed = true;
    return new TextDecoder().decode(await this.blob(entry.oid));
  }

  /**
   * The object id of what `path` names at this commit (a tree for a folder, "" or "." for
   * the root): two commits with the same id there have the same content there. Undefined
   * when nothing is at that path; throws when the commit itself is not in the cache.
   */
  async oidAt(path: string): Promise<string | undefined> {
    const rootOid = await this.rootTreeOid();
    const normal = posix.normalize(path.replace(/\\/g, '/'));
    if (posix.isAbsolute(normal) || normal === '..' || normal.startsWith('../')) return undefined;
    const inRepository = normal === '.' || normal === './' ? '' : normal.replace(/\/$/, '');
    return inRepository ? (await this.entryAt(inRepository))?.oid : rootOid;
  }

  private async entryAt(path: string): Promise<git.TreeEntry | undefined> {
    const parent = posix.dirname(path) === '.' ? '' : posix.dirname(path);
    try {
      const entries = await this.readDirectory(parent);
      return entries.find((entry) => entry.path === posix.basename(path));
    } catch (error) {
      if (error instanceof GitError && error.reason === 'PathNotFound') return undefined;
      throw error;
    }
  }

  private async readDirectory(dir: string): Promise<git.TreeEntry[]> {
    // Checked first, once, so that a commit missing from the cache is not mistaken for a
    // folder missing from the commit.
    await this.rootTreeOid();
    try {
      const { tree } = await git.readTree({
        fs,
        gitdir: this.gitdir,
        oid: this.sha,
        cache: this.cache,
        ...(dir && { filepath: dir }),
      });
      return tree;
    } catch (error) {
      throw new GitError('PathNotFound', `directory ${dir} does not exist at ${this.sha}`, {
        cause: error,
      });
    }
  }

  private rootTreeOid(): Promise<string> {
    this.rootTree ??= git
      .readCommit({ fs, gitdir: this.gitdir, oid: this.sha, cache: this.cache })
      .then(
        ({ commit }) => commit.tree,
        (error: unknown) => {
          throw new GitError(
            'RevisionNotFound',
            `commit ${this.sha} is not in the cache at ${this.gitdir}: fetch it first (fetchRevision)`,
            { cause: error },
          );
        },
      );
    return this.rootTree;
  }

  private async blob(oid: string): Promise<Uint8Array> {
    return (await git.readBlob({ fs, gitdir: this.gitdir, oid, cache: this.cache })).blob;
  }
}
