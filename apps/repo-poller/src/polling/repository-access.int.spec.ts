import { createRepository, GitServer, testInfra, uniqueName, WorkingCopy } from '@cairn/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PollerUnderTest } from '../testing/poller-under-test';

/**
 * How the poller reaches repositories: with the sealed credentials of a registration,
 * without ever logging them; at once when `<root>.poll` asks; and no more once removed.
 */

const GIT_AUTH = { username: 'cairn', password: 'correct horse battery staple' };
const configMap = (name: string, value = '1') =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  value: "${value}"\n`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const within = { timeout: 15_000 };

describe('repo-poller: credentials, poll requests and removal', () => {
  const { natsUrl, natsPrefix } = testInfra();
  let poller: PollerUnderTest;
  let server: GitServer;

  beforeAll(async () => {
    const root = `${natsPrefix}_${uniqueName('poller').replace(/[-.]/g, '_')}`;
    poller = await PollerUnderTest.prepare(natsUrl, root);
    server = await GitServer.start();
    await poller.start(natsUrl);
  });

  afterAll(async () => {
    await poller?.stop();
    await server?.stop();
  });

  it('polls a repository behind basic auth with the sealed password, and never logs the password', async () => {
    const authServer = await GitServer.start({ auth: GIT_AUTH });
    try {
      const url = await createRepository(authServer, 'private');
      const work = await WorkingCopy.clone(url, GIT_AUTH);
      await work.writeFiles({ 'deploy/app.yaml': configMap('private') });
      const sha = await work.commit('private');
      await work.push();
      await work.dispose();

      const registration = { id: 'private', pollIntervalSeconds: 1, username: GIT_AUTH.username };
      await poller.putRepository({
        ...registration,
        url,
        passwordSealed: poller.box.seal(GIT_AUTH.password),
      });
      await poller.putApplication('private', {
        repoURL: url,
        path: 'deploy',
        targetRevision: 'HEAD',
      });
      const desired = await poller.watchDesired('private');
      await expect.poll(() => desired.length, within).toBe(1);
      expect(desired[0]).toMatchObject({ app: 'private', revision: sha });

      // The same repository, spelled without .git, registered with a wrong password.
      const respelled = url.replace(/\.git$/, '');
      await poller.putRepository({
        ...registration,
        url: respelled,
        passwordSealed: poller.box.seal('wrong password'),
      });
      await expect
        .poll(() => poller.logs.matching('authentication failed')[0], within)
        .toContain(`cannot poll repository: authentication failed for ${respelled} (HTTP 401)`);
      await sleep(2_500); // a few more refused polls, still one line
      expect(poller.logs.matching('authentication failed')).toHaveLength(1);
      expect(await poller.metric('cairn_poller_polls_total{result="error"}')).toBeGreaterThan(1);
      const everything = poller.logs.lines.join('\n');
      expect(everything).not.toContain(GIT_AUTH.password);
      expect(everything).not.toContain('wrong password');
    } finally {
      await poller.writer.delete('applications', 'private');
      await poller.writer.delete('repositories', 'private');
      await authServer.stop();
    }
  });

  it('polls at once on a `<root>.poll` request, and stops polling what is removed', async () => {
    const url = await createRepository(server, 'slow');
    const work = await WorkingCopy.clone(url);
    try {
      await work.writeFiles({ 'app/a.yaml': configMap('a') });
      await work.commit('a');
      await work.push();
      await poller.putRepository({ id: 'slow', url, pollIntervalSeconds: 3600 });
      await poller.putApplication('slow', { repoURL: url, path: 'app', targetRevision: 'main' });
      const desired = await poller.watchDesired('slow');
      await expect.poll(() => desired.length, within).toBe(1);

      await work.writeFiles({ 'app/a.yaml': configMap('a', '2') });
      const moved = await work.commit('a2');
      await work.push();
      // Another spelling of the URL, as a webhook payload may carry it.
      const answer = await poller.requestPoll({ url: url.replace(/\.git$/, '/') });

      expect(answer).toEqual({ polled: true, repository: url });
      await expect.poll(() => desired.at(-1)?.revision, { timeout: 2_000 }).toBe(moved);
      expect(await poller.requestPoll({ url: `${server.url}/nowhere.git` })).toEqual({
        polled: false,
        reason: `repository ${server.url}/nowhere.git is neither registered nor used by an application`,
      });
      expect(await poller.requestPoll('not an object')).toEqual({
        polled: false,
        reason: 'a poll request is JSON {"url": "<repository URL>"}',
      });

      await expect.poll(() => poller.metric('cairn_poller_repositories'), within).toBe(1);
      await poller.writer.delete('applications', 'slow');
      await poller.writer.delete('repositories', 'slow');
      await expect.poll(() => poller.metric('cairn_poller_repositories'), within).toBe(0);
      expect(await poller.requestPoll({ url })).toMatchObject({ polled: false });
    } finally {
      await work.dispose();
    }
  });
});
