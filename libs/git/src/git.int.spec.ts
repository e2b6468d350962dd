import { mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
// Specs are not shipped, so test tooling is fine here (the rule guards library code).
import { createRepository, GitServer, WorkingCopy } from '@cairn/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchRevision, repositoryCacheDir } from './fetch-revision';
import { GitError } from './git-error';
import { readFileAt, readTree } from './read-tree';
import { listRemoteRefs, resolveRemoteRef } from './remote-refs';

const auth = { username: 'cairn', password: 'correct horse' };
const wrongAuth = { username: 'cairn', password: 'wrong' };
const text = (bytes: Uint8Array) => Buffer.from(bytes).toString('utf8');

describe('git against a real smart-HTTP server with basic auth', () => {
  let server: GitServer;
  let url: string;
  let work: WorkingCopy;
  let cacheDir: string;
  let first: string;
  const caches: string[] = [];
  const emptyCache = async () => {
    caches.push(await mkdtemp(join(tmpdir(), 'cairn-git-cache-')));
    return caches[caches.length - 1];
  };

  beforeAll(async () => {
    server = await GitServer.start({ auth });
    url = await createRepository(server, 'apps');
    work = await WorkingCopy.clone(url, auth);
    await work.writeFiles({
      'guestbook/deployment.yaml': 'replicas: 1\n',
      'guestbook/service.yaml': 'port: 80\n',
      'README.md': '# apps\n',
    });
    await symlink('../README.md', join(work.dir, 'guestbook/readme-link'));
    first = await work.commit('first');
    await work.tag('v1');
    await work.push();
    cacheDir = await emptyCache();
  });

  afterAll(async () => {
    await work?.dispose();
    await server?.stop();
    for (const dir of caches) await rm(dir, { recursive: true, force: true });
  });

  it('lists the remote refs: HEAD on main, and the annotated tag peeled to its commit', async () => {
    const refs = await listRemoteRefs(url, auth);

    expect(refs).toContainEqual({
      name: 'HEAD',
      sha: first,
      commit: first,
      target: 'refs/heads/main',
    });
    expect(refs).toContainEqual({ name: 'refs/heads/main', sha: first, commit: first });
    const tag = refs.find((ref) => ref.name === 'refs/tags/v1');
    expect(tag?.commit).toBe(first);
    expect(tag?.sha).not.toBe(first);
  });

  it('lists no refs for an empty repository, and takes credentials from the URL when none are given', async () => {
    const empty = await createRepository(server, 'empty');
    expect(await listRemoteRefs(empty, auth)).toEqual([]);

    const withCredentials = new URL(url);
    withCredentials.username = auth.username;
    withCredentials.password = encodeURIComponent(auth.password);
    expect(resolveRemoteRef(await listRemoteRefs(withCredentials.toString()), 'main')).toBe(first);
  });

  it('says so when the URL is not a git smart-HTTP server, or nothing listens there', async () => {
    const web = createServer((_req, res) =>
      res.writeHead(200, { 'Content-Type': 'text/html' }).end('<html>'),
    );
    await new Promise<void>((resolve) => web.listen(0, '127.0.0.1', resolve));
    const { port } = web.address() as AddressInfo;
    try {
      await expect(listRemoteRefs(`http://127.0.0.1:${port}/apps.git`)).rejects.toMatchObject({
        reason: 'GitOperationFailed',
        message: `http://127.0.0.1:${port}/apps.git is not a git smart-HTTP server (it answered text/html for info/refs)`,
      });
    } finally {
      await new Promise((resolve) => web.close(resolve));
    }
    await expect(listRemoteRefs(`http://127.0.0.1:${port}/apps.git`)).rejects.toMatchObject({
      reason: 'Unreachable',
      message: expect.stringContaining('(ECONNREFUSED)'),
    });
  });

  it('fetches a branch and reads a file at the fetched commit', async () => {
    const sha = await fetchRevision({ url, ref: 'main', cacheDir, auth });
    const gitdir = repositoryCacheDir(cacheDir, url);

    expect(sha).toBe(first);
    expect(text(await readFileAt(gitdir, sha, 'guestbook/deployment.yaml'))).toBe('replicas: 1\n');
    expect(await readTree(gitdir, sha, 'guestbook')).toEqual([
      expect.objectContaining({ path: 'guestbook/deployment.yaml', type: 'file', mode: '100644' }),
      expect.objectContaining({ path: 'guestbook/readme-link', type: 'symlink', mode: '120000' }),
      expect.objectContaining({ path: 'guestbook/service.yaml', type: 'file' }),
    ]);
  });

  it('refuses a wrong password with an error that says so and does not leak it', async () => {
    const refused = fetchRevision({
      url,
      ref: 'main',
      cacheDir: await emptyCache(),
      auth: wrongAuth,
    });

    await expect(refused).rejects.toThrow(GitError);
    await expect(refused).rejects.toMatchObject({
      reason: 'AuthenticationFailed',
      message: expect.stringMatching(
        /^authentication failed for http:\/\/127\.0\.0\.1:\d+\/apps\.git \(HTTP 401\)/,
      ),
    });
    await expect(refused).rejects.toThrow(
      expect.objectContaining({ message: expect.not.stringContaining('wrong') }),
    );
    await expect(listRemoteRefs(url, wrongAuth)).rejects.toMatchObject({
      reason: 'AuthenticationFailed',
    });
    await expect(listRemoteRefs(url)).rejects.toMatchObject({ reason: 'AuthenticationFailed' });
  });

  it('after a second commit, sees the new SHA and reads both the old and the new version', async () => {
    await work.writeFiles({ 'guestbook/deployment.yaml': 'replicas: 3\n' });
    await work.remove('guestbook/service.yaml');
    const second = await work.commit('scale up, drop the service');
    await work.push();

    expect(resolveRemoteRef(await listRemoteRefs(url, auth), 'main')).toBe(second);

    const sha = await fetchRevision({ url, ref: 'main', cacheDir, auth });
    const gitdir = repositoryCacheDir(cacheDir, url);
    expect(sha).toBe(second);
    // HEAD, Argo CD's default targetRevision, is the server's default branch.
    expect(await fetchRevision({ url, ref: 'HEAD', cacheDir, auth })).toBe(second);
    expect(text(await readFileAt(gitdir, second, 'guestbook/deployment.yaml'))).toBe(
      'replicas: 3\n',
    );
    expect(text(await readFileAt(gitdir, first, 'guestbook/deployment.yaml'))).toBe(
      'replicas: 1\n',
    );
    expect((await readTree(gitdir, second, 'guestbook')).map((entry) => entry.path)).not.toContain(
      'guestbook/service.yaml',
    );
    await expect(readFileAt(gitdir, second, 'guestbook/service.yaml')).rejects.toMatchObject({
      reason: 'PathNotFound',
    });
  });

  it('resolves an annotated tag to its commit', async () => {
    expect(await fetchRevision({ url, ref: 'v1', cacheDir, auth })).toBe(first);
  });

  it('fetches a commit by SHA into an empty cache, and answers from the cache without the network', async () => {
    const freshCache = await emptyCache();
    expect(await fetchRevision({ url, ref: first, cacheDir: freshCache, auth })).toBe(first);
    const gitdir = repositoryCacheDir(freshCache, url);
    expect(text(await readFileAt(gitdir, first, 'README.md'))).toBe('# apps\n');

    // A wrong password cannot matter when nothing is asked of the server.
    expect(await fetchRevision({ url, ref: first, cacheDir: freshCache, auth: wrongAuth })).toBe(
      first,
    );
  });

  it('names a revision that does not exist', async () => {
    await expect(
      fetchRevision({ url, ref: 'no-such-branch', cacheDir, auth }),
    ).rejects.toMatchObject({
      reason: 'RevisionNotFound',
      message: expect.stringContaining('"no-such-branch" not found'),
    });
  });

  it('never reads through a symlink or outside the repository', async () => {
    const gitdir = repositoryCacheDir(cacheDir, url);
    await expect(readFileAt(gitdir, first, 'guestbook/readme-link')).rejects.toMatchObject({
      reason: 'NotAFile',
    });
    await expect(readFileAt(gitdir, first, '../etc/passwd')).rejects.toThrow(
      /not a path inside the repository/,
    );
    await expect(readTree(gitdir, first, '/guestbook')).rejects.toThrow(
      /not a path inside the repository/,
    );
  });
});
