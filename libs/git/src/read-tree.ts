import * as fs from 'node:fs';
import { posix } from 'node:path';
import * as git from 'isomorphic-git';
import { GitError } from './git-error';

/**
 * Reads files of a fetched commit straight from the cache's object store (no checkout), so
 * many revisions of one repository can be read side by side.
 */

export interface TreeEntry {
  /** Path from the repository root, `/`-separated. */
  path: string;
  /** Symlinks are reported, never followed: resolving them safely is the caller's call. */
  type: 'file' | 'symlink' | 'submodule';
  /** Git file mode: 100644, 100755, 120000 or 160000. */
  mode: string;
  oid: string;
}

export interface ReadTreeOptions {
  /** Refuse trees larger than this (a repository is user input). Default 10 000. */
  maxEntries?: number;
}

/**
 * Every file, symlink and submodule under `path` (the whole repository when empty) at
 * commit `sha`, depth first, sorted by path. `gitdir` is repositoryCacheDir(cacheDir, url).
 */
export async function readTree(
  gitdir: string,
  sha: string,
  path = '',
  options: ReadTreeOptions = {},
): Promise<TreeEntry[]> {
  const maxEntries = options.maxEntries ?? 10_000;
  const root = normalizeRepoPath(path);
  const entries: TreeEntry[] = [];
  const visit = async (dir: string): Promise<void> => {
    for (const entry of await readDirectory(gitdir, sha, dir)) {
      const entryPath = dir ? `${dir}/${entry.path}` : entry.path;
      if (entry.type === 'tree') {
        await visit(entryPath);
        continue;
      }
      if (entries.length >= maxEntries) {
        throw new GitError(
          'GitOperationFailed',
          `${root || '/'} at ${sha} has more than ${maxEntries} files`,
        );
      }
      entries.push({ path: entryPath, type: kindOf(entry.mode), mode: entry.mode, oid: entry.oid });
    }
  };
  await visit(root);
  return entries.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** The content of the regular file at `path` in commit `sha`. */
export async function readFileAt(gitdir: string, sha: string, path: string): Promise<Uint8Array> {
  const filePath = normalizeRepoPath(path);
  if (!filePath) throw new GitError('NotAFile', `"${path}" is the repository root, not a file`);
  const entry = (
    await readDirectory(gitdir, sha, posix.dirname(filePath).replace(/^\.$/, ''))
  ).find((candidate) => candidate.path === posix.basename(filePath));
  if (!entry) throw new GitError('PathNotFound', `${filePath} does not exist at ${sha}`);
  if (entry.type !== 'blob' || kindOf(entry.mode) !== 'file') {
    const what = entry.type === 'tree' ? 'a directory' : `a ${kindOf(entry.mode)}`;
    throw new GitError('NotAFile', `${filePath} at ${sha} is ${what}, not a regular file`);
  }
  const { blob } = await git.readBlob({ fs, gitdir, oid: entry.oid });
  return blob;
}

async function readDirectory(gitdir: string, sha: string, dir: string): Promise<git.TreeEntry[]> {
  try {
    const { tree } = await git.readTree({ fs, gitdir, oid: sha, ...(dir && { filepath: dir }) });
    return tree;
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'NotFoundError' || code === 'ObjectTypeError') {
      const message = dir
        ? `directory ${dir} does not exist at ${sha}`
        : `commit ${sha} is not in the cache: fetch it first (fetchRevision)`;
      throw new GitError('PathNotFound', message, { cause: error });
    }
    throw error;
  }
}

function kindOf(mode: string): TreeEntry['type'] {
  if (mode === '120000') return 'symlink';
  if (mode === '160000') return 'submodule';
  return 'file';
}

/**
 * Repository paths are relative and stay inside the repository: `..`, absolute paths and
 * backslashes are refused rather than interpreted.
 */
function normalizeRepoPath(path: string): string {
  const segments = path.split('/').filter((segment) => segment !== '' && segment !== '.');
  if (path.startsWith('/') || path.includes('\\') || segments.includes('..')) {
    throw new GitError('PathNotFound', `"${path}" is not a path inside the repository`);
  }
  return segments.join('/');
}
