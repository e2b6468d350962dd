import { readdir } from 'node:fs/promises';
import type { DesiredState } from '@cairn/contracts';
import { createRepository, GitServer, testInfra, uniqueName, WorkingCopy } from '@cairn/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PollerUnderTest } from '../testing/poller-under-test';

/**
 * Given a repository polled every second and an app on it, when commits land, then the
 * desired states on `<root>.desired.local.<app>` (or their absence) are what a reconciler
 * sees, and /metrics shows what it cost: real git over smart HTTP, real JetStream.
 */

const configMap = (name: string, value = '1') =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  value: "${value}"\n`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const within = { timeout: 15_000 };

describe('repo-poller: desired states from commits', () => {
  const { natsUrl, natsPrefix } = testInfra();
  let poller: PollerUnderTest;
  let server: GitServer;
  let url: string;
  let work: WorkingCopy;
  let first: string;
  let web: DesiredState[];

  const pushCommit = async (files: Record<string, string>, message: string) => {
    await work.writeFiles(files);
    const sha = await work.commit(message);
    await work.push();
    return sha;
  };
  const rendered = (result: string) =>
    poller.metric(`cairn_poller_renders_total{result="${result}"}`);
  const fetches = () => poller.metric('cairn_poller_fetches_total');

  beforeAll(async () => {
    const root = `${natsPrefix}_${uniqueName('poller').replace(/[-.]/g, '_')}`;
    poller = await PollerUnderTest.prepare(natsUrl, root);
    server = await GitServer.start();
    url = await createRepository(server, 'apps');
    work = await WorkingCopy.clone(url);
    first = await pushCommit(
      {
        'apps/web/configmap.yaml': configMap('web-config'),
        'apps/web/nested/settings.yaml': `${configMap('web-settings')}---\n${configMap('web-extra')}`,
        'apps/web/README.md': '# not a manifest\n',
        'apps/other/other.yaml': configMap('other'),
      },
      'first',
    );
    await poller.putRepository({ id: 'apps', url, pollIntervalSeconds: 1 });
    await poller.putApplication('web', { repoURL: url, path: 'apps/web', targetRevision: 'main' });
    web = await poller.watchDesired('web');
    await poller.start(natsUrl);
  });

  afterAll(async () => {
    await poller?.stop();
    await work?.dispose();
    await server?.stop();
  });

  it('is ready once NATS is connected and the registry loaded', async () => {
    const readiness = await poller.get('/readyz');
    expect(readiness.status).toBe(200);
    expect(JSON.parse(readiness.body)).toEqual({
      status: 'ok',
      checks: [
        { name: 'nats', status: 'ok' },
        { name: 'registry', status: 'ok' },
      ],
    });
  });

  it('publishes a desired state whose bundle holds exactly the objects under the app path', async () => {
    await expect.poll(() => web.length, within).toBe(1);
    expect(web[0]).toMatchObject({
      app: 'web',
      revision: first,
      reason: `commit ${first.slice(0, 7)} on main`,
    });
    const bundle = await poller.bundles.get(web[0].bundleDigest ?? 'none');
    expect(bundle.objects.map((o) => o.metadata.name).sort()).toEqual([
      'web-config',
      'web-extra',
      'web-settings',
    ]);
    expect(bundle.files).toEqual(['apps/web/configmap.yaml', 'apps/web/nested/settings.yaml']);
    expect(await poller.metric('cairn_poller_repositories')).toBe(1);
    expect(await readdir(poller.cacheDir)).toHaveLength(1);
  });

  it('with no new commit, polls every interval but fetches, renders and publishes nothing', async () => {
    await expect.poll(() => web.length, within).toBe(1);
    const [fetchesBefore, rendersBefore, pollsBefore] = [
      await fetches(),
      await rendered('success'),
      await poller.polls(),
    ];

    await sleep(3_500);

    expect(await poller.polls()).toBeGreaterThanOrEqual(pollsBefore + 2);
    expect(await fetches()).toBe(fetchesBefore);
    expect(await rendered('success')).toBe(rendersBefore);
    expect(web).toHaveLength(1);
  });

  it('says nothing for a commit outside the app path, and publishes the new SHA for one inside', async () => {
    const [fetchesBefore, rendersBefore] = [await fetches(), await rendered('success')];
    await pushCommit({ 'apps/other/other.yaml': configMap('other', '2') }, 'outside');
    // The branch moved, so the poller fetches; the app's folder did not change, so it stops there.
    await expect.poll(fetches, within).toBe(fetchesBefore + 1);
    const pollsAfterFetch = await poller.polls();
    await expect.poll(() => poller.polls(), within).toBeGreaterThanOrEqual(pollsAfterFetch + 2);
    expect(web).toHaveLength(1);
    expect(await rendered('success')).toBe(rendersBefore);

    const inside = await pushCommit(
      { 'apps/web/configmap.yaml': configMap('web-config', '2') },
      'inside',
    );
    await expect.poll(() => web.length, within).toBe(2);
    expect(web[1]).toMatchObject({
      revision: inside,
      reason: `commit ${inside.slice(0, 7)} on main`,
    });
    const bundle = await poller.bundles.get(web[1].bundleDigest ?? 'none');
    expect(bundle.objects.find((o) => o.metadata.name === 'web-config')?.data).toEqual({
      value: '2',
    });
  });

  it('publishes a render error naming the file and line of malformed YAML, then the fix', async () => {
    const count = web.length;
    const broken = await pushCommit(
      {
        'apps/web/broken.yaml': `${configMap('fine')}---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x: y\n`,
      },
      'broken yaml',
    );
    await expect.poll(() => web.length, within).toBe(count + 1);
    expect(web[count]).toEqual({
      v: 1,
      app: 'web',
      revision: broken,
      renderError: expect.stringMatching(/^apps\/web\/broken\.yaml:11: invalid YAML/),
      reason: `commit ${broken.slice(0, 7)} on main`,
    });
    expect(await rendered('invalid')).toBe(1);

    await work.remove('apps/web/broken.yaml');
    const fixed = await work.commit('fix');
    await work.push();
    await expect.poll(() => web.length, within).toBe(count + 2);
    expect(web[count + 1]).toMatchObject({
      revision: fixed,
      bundleDigest: web[count - 1].bundleDigest,
    });
  });

  it('follows a tag and a commit SHA as targetRevision, and not the branch', async () => {
    await work.tag('v1');
    await work.push();
    const tagged = await work.head();
    await poller.putApplication('tagged', { repoURL: url, path: 'apps/web', targetRevision: 'v1' });
    await poller.putApplication('pinned', {
      repoURL: url,
      path: 'apps/other',
      targetRevision: first,
    });
    const byTag = await poller.watchDesired('tagged');
    const bySha = await poller.watchDesired('pinned');

    await expect.poll(() => byTag.length, within).toBe(1);
    await expect.poll(() => bySha.length, within).toBe(1);
    expect(byTag[0]).toMatchObject({
      revision: tagged,
      reason: `commit ${tagged.slice(0, 7)} on v1`,
    });
    expect(bySha[0]).toMatchObject({ revision: first });
    const pinned = await poller.bundles.get(bySha[0].bundleDigest ?? 'none');
    expect(pinned.objects[0].data).toEqual({ value: '1' });

    const onMain = await pushCommit(
      {
        'apps/web/configmap.yaml': configMap('web-config', '3'),
        'apps/other/other.yaml': configMap('other', '3'),
      },
      'main moves on',
    );
    await expect.poll(() => web.at(-1)?.revision, within).toBe(onMain);
    await sleep(2_000);
    expect(byTag).toHaveLength(1);
    expect(bySha).toHaveLength(1);
  });
});
