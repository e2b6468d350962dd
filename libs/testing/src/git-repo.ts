import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import type { GitServer } from './git-server';

/**
 * Repositories on a test GitServer, and working copies that change them with the real git
 * CLI, so a test reads as "given a repo, when a commit is pushed, then ...".
 */

const execFileAsync = promisify(execFile);

/** Fixed identity and no user or system configuration, so runs are reproducible anywhere. */
const GIT_ENV: NodeJS.ProcessEnv = {
  ...process.env,
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_TERMINAL_PROMPT: '0',
  GIT_AUTHOR_NAME: 'Cairn Test',
  GIT_AUTHOR_EMAIL: 'test@cairn.invalid',
  GIT_COMMITTER_NAME: 'Cairn Test',
  GIT_COMMITTER_EMAIL: 'test@cairn.invalid',
};

async function git(args: string[], cwd?: string): Promise<string> {
  try {
    const { stdout } = await execFileAsync('git', args, { cwd, env: GIT_ENV });
    return stdout.trim();
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? '';
    throw new Error(`git ${args.join(' ')} failed in ${cwd ?? '.'}: ${stderr.trim()}`);
  }
}

/** Creates an empty bare repository `<name>.git` on the server and returns its clone URL. */
export async function createRepository(
  server: Pick<GitServer, 'url' | 'root'>,
  name: string,
): Promise<string> {
  const path = join(server.root, `${name}.git`);
  await git(['init', '--quiet', '--bare', '--initial-branch=main', path]);
  // http-backend refuses anonymous pushes unless the repository opts in.
  await git(['config', 'http.receivepack', 'true'], path);
  // Lets a shallow protocol v1 client (isomorphic-git) fetch a commit by SHA, as GitHub,
  // GitLab and Gitea allow.
  await git(['config', 'uploadpack.allowReachableSHA1InWant', 'true'], path);
  return `${server.url}/${name}.git`;
}

export class WorkingCopy {
  private constructor(readonly dir: string) {}

  /** Clones `url` into a temporary directory; credentials go into the remote URL. */
  static async clone(
    url: string,
    auth?: { username: string; password: string },
  ): Promise<WorkingCopy> {
    const dir = await mkdtemp(join(tmpdir(), 'cairn-wc-'));
    const remote = new URL(url);
    if (auth) {
      remote.username = encodeURIComponent(auth.username);
      remote.password = encodeURIComponent(auth.password);
    }
    // A fresh repository has no branch yet; name the first one like the server does.
    await git(['-c', 'init.defaultBranch=main', 'clone', '--quiet', remote.toString(), dir]);
    return new WorkingCopy(dir);
  }

  /** Writes (creates or overwrites) files, given as `{ 'path/in/repo': content }`. */
  async writeFiles(files: Record<string, string>): Promise<void> {
    for (const [path, content] of Object.entries(files)) {
      const target = join(this.dir, path);
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, content);
    }
  }

  async remove(path: string): Promise<void> {
    await git(['rm', '-r', '--quiet', '--', path], this.dir);
  }

  /** Stages everything and commits; returns the new commit SHA. */
  async commit(message: string): Promise<string> {
    await git(['add', '--all'], this.dir);
    await git(['commit', '--quiet', '--allow-empty', '-m', message], this.dir);
    return this.head();
  }

  /** An annotated tag on HEAD (annotated, because peeling them is where clients go wrong). */
  async tag(name: string): Promise<void> {
    await git(['tag', '-a', name, '-m', name], this.dir);
  }

  /** Pushes the current branch and all tags. */
  async push(): Promise<void> {
    await git(['push', '--quiet', 'origin', 'HEAD', '--tags'], this.dir);
  }

  async head(): Promise<string> {
    return git(['rev-parse', 'HEAD'], this.dir);
  }

  async dispose(): Promise<void> {
    await rm(this.dir, { recursive: true, force: true });
  }
}
