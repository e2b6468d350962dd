import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, loadManifests } from './load-manifests';
import { DirectoryTree } from './source-tree';

const roots: string[] = [];
/** A repository checkout on disk with the given files; `-> target` makes a symlink. */
function repo(files: Record<string, string>): DirectoryTree {
  const root = mkdtempSync(join(tmpdir(), 'cairn-manifests-'));
  roots.push(root);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    if (content.startsWith('-> ')) symlinkSync(content.slice(3), join(root, path));
    else writeFileSync(join(root, path), content);
  }
  return new DirectoryTree(root);
}
afterEach(() => roots.splice(0).forEach((r) => rmSync(r, { recursive: true, force: true })));

const configMap = (name: string) =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  a: "1"\n`;

describe('loadManifests', () => {
  it('loads every .yaml/.yml/.json under the path, recursively, multi-document, and nothing else', async () => {
    const tree = repo({
      'apps/web/a.yaml': `${configMap('one')}---\n${configMap('two')}`,
      'apps/web/nested/b.yml': configMap('three'),
      'apps/web/c.json': JSON.stringify({
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'web' },
      }),
      'apps/web/README.md': '# not a manifest',
      'apps/other/d.yaml': configMap('elsewhere'),
    });
    const bundle = await loadManifests(tree, 'apps/web');
    expect(bundle.objects.map((o) => o.metadata.name).sort()).toEqual([
      'one',
      'three',
      'two',
      'web',
    ]);
    expect(bundle.files).toEqual(['apps/web/a.yaml', 'apps/web/c.json', 'apps/web/nested/b.yml']);
  });

  it('gives the same digest for the same objects, whatever the file layout, and another for other content', async () => {
    const a = await loadManifests(
      repo({ 'x/one.yaml': `${configMap('one')}---\n${configMap('two')}` }),
      'x',
    );
    const b = await loadManifests(
      repo({ 'y/2.yaml': configMap('two'), 'y/1.yaml': configMap('one') }),
      'y',
    );
    const c = await loadManifests(repo({ 'x/one.yaml': configMap('one') }), 'x');
    expect(a.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(b.digest).toBe(a.digest);
    expect(c.digest).not.toBe(a.digest);
  });

  it('expands a List into its items and skips empty documents', async () => {
    const list = `---\n---\napiVersion: v1\nkind: List\nitems:\n- {apiVersion: v1, kind: ConfigMap, metadata: {name: a}}\n- {apiVersion: v1, kind: ConfigMap, metadata: {name: b}}\n`;
    const bundle = await loadManifests(repo({ 'app/list.yaml': list }), 'app');
    expect(bundle.objects.map((o) => o.metadata.name)).toEqual(['a', 'b']);
  });

  it('names the file and line of malformed YAML', async () => {
    const tree = repo({
      'app/ok.yaml': configMap('ok'),
      'app/bad.yaml': `${configMap('x')}---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x: y\n`,
    });
    await expect(loadManifests(tree, 'app')).rejects.toThrow(/^app\/bad\.yaml:11: invalid YAML/);
  });

  it('names the file and line of malformed JSON', async () => {
    const tree = repo({ 'app/bad.json': '{\n  "apiVersion": "v1",\n  "kind": }\n' });
    await expect(loadManifests(tree, 'app')).rejects.toThrow(/^app\/bad\.json:3: invalid JSON/);
  });

  it.each([
    ['kind: ConfigMap\nmetadata: {name: a}\n', 'apiVersion is missing'],
    ['apiVersion: v1\nmetadata: {name: a}\n', 'kind is missing'],
    ['apiVersion: v1\nkind: ConfigMap\n', 'metadata is missing'],
    [
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {labels: {a: b}}\n',
      'metadata.name is missing in ConfigMap',
    ],
    ['- just\n- a list\n', 'is not a Kubernetes object'],
  ])('rejects an object that is not a Kubernetes object: %j', async (text, reason) => {
    await expect(
      loadManifests(repo({ 'app/x.yaml': configMap('fine') + '---\n' + text }), 'app'),
    ).rejects.toThrow(new RegExp(`^app/x\\.yaml:\\d+: document: ${reason}`));
  });

  it('rejects the same object declared twice, naming both places', async () => {
    const tree = repo({ 'app/a.yaml': configMap('dup'), 'app/b.yaml': configMap('dup') });
    await expect(loadManifests(tree, 'app')).rejects.toThrow(
      'app/b.yaml:1: ConfigMap "dup" is also declared in app/a.yaml:1',
    );
  });

  it('follows symlinks that stay inside the repository', async () => {
    const tree = repo({
      'shared/common.yaml': configMap('common'),
      'app/common.yaml': '-> ../shared/common.yaml',
      'base/more.yaml': configMap('more'),
      'app/more': '-> ../base',
    });
    const bundle = await loadManifests(tree, 'app');
    expect(bundle.files).toEqual(['app/common.yaml', 'app/more/more.yaml']);
    expect(bundle.objects.map((o) => o.metadata.name)).toEqual(['common', 'more']);
  });

  it('refuses a symlink that leaves the repository, by file or folder, relative or absolute', async () => {
    await expect(
      loadManifests(repo({ 'app/passwd.yaml': '-> ../../../../etc/passwd' }), 'app'),
    ).rejects.toThrow('app/passwd.yaml: symlink to "../../../../etc/passwd" leaves the repository');
    await expect(loadManifests(repo({ 'app/etc': '-> /etc' }), 'app')).rejects.toThrow(
      'app/etc: symlink to "/etc" leaves the repository',
    );
  });

  it('refuses an app path outside the repository and one that does not exist', async () => {
    const tree = repo({ 'app/a.yaml': configMap('a') });
    await expect(loadManifests(tree, '../elsewhere')).rejects.toThrow(
      '"../elsewhere" points outside the repository',
    );
    await expect(loadManifests(tree, 'missing')).rejects.toThrow(
      'path "missing" does not exist in the repository',
    );
  });

  it('enforces the size, file, document and object limits', async () => {
    const limits = { ...DEFAULT_LIMITS, maxFiles: 2, maxDocumentsPerFile: 2, maxObjects: 3 };
    await expect(
      loadManifests(repo({ 'a/x.yaml': configMap('x') + '#'.repeat(300) }), 'a', {
        ...limits,
        maxFileBytes: 200,
      }),
    ).rejects.toThrow(/a\/x\.yaml: \d+ bytes, more than the limit of 200/);
    await expect(
      loadManifests(
        repo({
          'a/1.yaml': configMap('1'),
          'a/2.yaml': configMap('2'),
          'a/3.yaml': configMap('3'),
        }),
        'a',
        limits,
      ),
    ).rejects.toThrow('more than the limit of 2 manifest files');
    await expect(
      loadManifests(
        repo({ 'a/1.yaml': [1, 2, 3].map((i) => configMap(`c${i}`)).join('---\n') }),
        'a',
        limits,
      ),
    ).rejects.toThrow('3 YAML documents, more than the limit of 2');
    await expect(
      loadManifests(
        repo({
          'a/1.yaml': [1, 2].map((i) => configMap(`c${i}`)).join('---\n'),
          'a/2.yaml': [3, 4].map((i) => configMap(`c${i}`)).join('---\n'),
        }),
        'a',
        limits,
      ),
    ).rejects.toThrow('more than the limit of 3 objects');
  });
});
