import { lstat, readdir, readFile, readlink } from 'node:fs/promises';
import { join } from 'node:path';

export interface TreeEntry {
  /** Path from the repository root, with forward slashes. */
  path: string;
  type: 'file' | 'dir' | 'symlink';
}

/**
 * Read access to the files of one revision of a repository, whether they sit in git's
 * object store or in a directory. Paths are relative to the repository root.
 */
export interface SourceTree {
  list(dir: string): Promise<TreeEntry[]>;
  read(path: string): Promise<Uint8Array>;
  readLink(path: string): Promise<string>;
}

/** A SourceTree over a directory on disk (fixtures, local checkouts). */
export class DirectoryTree implements SourceTree {
  constructor(private readonly root: string) {}

  async list(dir: string): Promise<TreeEntry[]> {
    const names = await readdir(join(this.root, dir));
    return Promise.all(
      names.sort().map(async (name) => {
        const path = dir ? `${dir}/${name}` : name;
        const stat = await lstat(join(this.root, path));
        const type = stat.isSymbolicLink() ? 'symlink' : stat.isDirectory() ? 'dir' : 'file';
        return { path, type } as TreeEntry;
      }),
    );
  }

  read(path: string): Promise<Uint8Array> {
    return readFile(join(this.root, path));
  }

  readLink(path: string): Promise<string> {
    return readlink(join(this.root, path));
  }
}
