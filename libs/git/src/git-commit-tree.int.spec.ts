import { mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadManifests, ManifestError } from '@cairn/manifests';
import { createRepository, GitServer, WorkingCopy } from '@cairn/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchRevision } from './fetch-revision';
import { GitCommitTree } from './git-commit-tree';
import { GitError } from './git-error';

const configMap = (name: string, value = '1') =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  value: "${value}"\n`;

describe('GitCommitTree: loadManifests over a commit in the git cache', () => {
  let server: GitServer;
  let url: string;
  let work: WorkingCopy;
  let cacheDir: string;
  let first: string;

  beforeAll(async () => {
    server = await GitServer.start();
    url = await createRepository(server, 'manifests');
    work = await WorkingCopy.clone(url);
    await work.writeFiles({
      'apps/web/deployment.yaml': configMap('web'),
      'apps/web/nested/extra.yml': configMap('extra'),
      'apps/web/README.md': '# not a manifest\n',
      'shared/common.yaml': configMap('common'),
      'base/more.yaml': configMap('more'),
      'apps/other/other.yaml': configMap('other'),
    });
    await symlink('../../shared/common.yaml', join(work.dir, 'apps/web/common.yaml'));
    await symlink('../../base', join(work.dir, 'apps/web/base'));
    await work.writeFiles({ 'apps/evil/ok.yaml': configMap('ok') });
    await symlink('../../../../etc/passwd', join(work.dir, 'apps/evil/passwd.yaml'));
    first = await work.commit('apps');
    await work.push();
    cacheDir = await mkdtemp(join(tmpdir(), 'cairn-commit-tree-'));
    await fetchRevision({ url, ref: 'main', cacheDir });
  });

  afterAll(async () => {
    await work?.dispose();
    await server?.stop();
    if (cacheDir) await rm(cacheDir, { recursive: true, force: true });
  });

  it('renders the objects under the app path, following symlinks that stay in the repository', async () => {
    const tree = GitCommitTree.fromCache(cacheDir, url, first);
    const bundle = await loadManifests(tree, 'apps/web');

    expect(bundle.files).toEqual([
      'apps/web/base/more.yaml',
      'apps/web/common.yaml',
      'apps/web/deployment.yaml',
      'apps/web/nested/extra.yml',
    ]);
    expect(bundle.objects.map((o) => o.metadata.name).sort()).toEqual([
      'common',
      'extra',
      'more',
      'web',
    ]);
    expect(tree.followedSymlinks).toBe(true);
  });

  it('refuses a symlink that leaves the repository, naming the file', async () => {
    const render = loadManifests(GitCommitTree.fromCache(cacheDir, url, first), 'apps/evil');
    await expect(render).rejects.toThrow(ManifestError);
    await expect(render).rejects.toThrow(
      'apps/evil/passwd.yaml: symlink to "../../../../etc/passwd" leaves the repository',
    );
  });

  it('lists symlinks as symlinks and never reads one as a file', async () => {
    const tree = GitCommitTree.fromCache(cacheDir, url, first);
    expect(await tree.list('apps/web')).toEqual([
      { path: 'apps/web/README.md', type: 'file' },
      { path: 'apps/web/base', type: 'symlink' },
      { path: 'apps/web/common.yaml', type: 'symlink' },
      { path: 'apps/web/deployment.yaml', type: 'file' },
      { path: 'apps/web/nested', type: 'dir' },
    ]);
    expect(await tree.readLink('apps/web/common.yaml')).toBe('../../shared/common.yaml');
    await expect(tree.read('apps/web/common.yaml')).rejects.toThrow('is not a regular file');
    expect(tree.followedSymlinks).toBe(true);
    expect(GitCommitTree.fromCache(cacheDir, url, first).followedSymlinks).toBe(false);
  });

  it('gives a folder the same object id while its content stays, and another once it changes', async () => {
    await work.writeFiles({ 'apps/other/other.yaml': configMap('other', '2') });
    const second = await work.commit('change another app');
    await work.push();
    expect(await fetchRevision({ url, ref: 'main', cacheDir })).toBe(second);
    const before = GitCommitTree.fromCache(cacheDir, url, first);
    const after = GitCommitTree.fromCache(cacheDir, url, second);

    expect(await after.oidAt('apps/web')).toBe(await before.oidAt('apps/web'));
    expect(await after.oidAt('./apps/web/')).toBe(await before.oidAt('apps/web'));
    expect(await after.oidAt('apps/other')).not.toBe(await before.oidAt('apps/other'));
    expect(await after.oidAt('.')).not.toBe(await before.oidAt(''));
    expect(await after.oidAt('apps/missing')).toBeUndefined();
    expect(await after.oidAt('../outside')).toBeUndefined();
  });

  it('says when the commit is not in the cache, rather than that a path is missing', async () => {
    const missing = GitCommitTree.fromCache(cacheDir, url, 'f'.repeat(40));
    expect(await missing.isCached()).toBe(false);
    expect(await GitCommitTree.fromCache(cacheDir, url, first).isCached()).toBe(true);
    await expect(missing.oidAt('apps/web')).rejects.toThrow(GitError);
    await expect(missing.list('apps/web')).rejects.toMatchObject({
      reason: 'RevisionNotFound',
      message: expect.stringContaining('is not in the cache'),
    });
  });
});
