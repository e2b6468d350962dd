import { createHmac } from 'node:crypto';
import { testInfra } from '@cairn/testing';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../testing/api-test-app';
import { startTestApi } from '../testing/api-test-app';

const SECRET = 'webhook-s3cret';

/**
 * Given registered repositories with webhook secrets, pushes delivered to the webhook
 * route as each git host sends them, and the poll requests the repo-poller would get.
 */
describe('api: git webhooks', () => {
  let app: NestFastifyApplication;
  let api: ApiClient;
  let nc: NatsConnection;
  let root: string;
  let stop: () => Promise<void>;
  const polled: string[] = [];

  const github = (name: string) => ({
    ref: 'refs/heads/main',
    repository: {
      clone_url: `https://git.example.com/org/${name}.git`,
      html_url: `https://git.example.com/org/${name}`,
      ssh_url: `git@git.example.com:org/${name}.git`,
    },
  });
  const hmac = (body: string, secret = SECRET) =>
    createHmac('sha256', secret).update(body).digest('hex');

  const deliver = (headers: Record<string, string>, body: string) =>
    app.inject({
      method: 'POST',
      url: '/api/v1/webhooks/git',
      headers: { 'content-type': 'application/json', ...headers },
      payload: body,
    });
  const fromGithub = (payload: unknown, secret = SECRET) => {
    const body = JSON.stringify(payload);
    return deliver(
      { 'x-github-event': 'push', 'x-hub-signature-256': `sha256=${hmac(body, secret)}` },
      body,
    );
  };
  const pollsSettled = () => new Promise((resolve) => setTimeout(resolve, 300));

  beforeAll(async () => {
    let topology;
    ({ app, api, nc, topology, stop } = await startTestApi(testInfra(), 'webhooks'));
    root = topology.root;
    nc.subscribe(`${root}.poll`, {
      callback: (_error, message) => {
        polled.push((message.json() as { url: string }).url);
        message.respond(JSON.stringify({ polled: true }));
      },
    });
    for (const name of ['github', 'gitlab', 'gitea', 'bitbucket', 'burst', 'pushes']) {
      const created = await api.call('POST', '/repositories', {
        url: `https://git.example.com/org/${name}.git`,
        webhookSecret: SECRET,
      });
      expect(created.statusCode).toBe(201);
    }
  });

  afterAll(() => stop?.());

  it('polls the repository a signed GitHub push names, with no bearer token', async () => {
    const response = await fromGithub(github('github'));
    expect(response.statusCode).toBe(202);
    expect(response.json()).toMatchObject({ provider: 'github', coalesced: [] });
    await pollsSettled();
    expect(polled).toContain('https://git.example.com/org/github.git');
  });

  it('accepts GitLab, Gitea and Bitbucket pushes, each authenticated its own way', async () => {
    const gitlab = JSON.stringify({
      project: { git_http_url: 'https://GIT.example.com/org/gitlab.git' },
    });
    expect(
      (await deliver({ 'x-gitlab-event': 'Push Hook', 'x-gitlab-token': SECRET }, gitlab))
        .statusCode,
    ).toBe(202);
    const gitea = JSON.stringify(github('gitea'));
    expect(
      (await deliver({ 'x-gitea-event': 'push', 'x-gitea-signature': hmac(gitea) }, gitea))
        .statusCode,
    ).toBe(202);
    const bitbucket = JSON.stringify({
      repository: { links: { html: { href: 'https://git.example.com/org/bitbucket' } } },
    });
    const signed = { 'x-event-key': 'repo:push', 'x-hub-signature': `sha256=${hmac(bitbucket)}` };
    expect((await deliver(signed, bitbucket)).statusCode).toBe(202);
    await pollsSettled();
    expect(polled).toEqual(
      expect.arrayContaining(
        ['gitlab', 'gitea', 'bitbucket'].map((n) => `https://git.example.com/org/${n}.git`),
      ),
    );
  });

  it('polls once for a burst of identical pushes', async () => {
    const responses = await Promise.all(
      Array.from({ length: 10 }, () => fromGithub(github('burst'))),
    );
    expect(responses.map((response) => response.statusCode)).toEqual(Array(10).fill(202));
    await pollsSettled();
    expect(polled.filter((url) => url.endsWith('/burst.git'))).toHaveLength(1);
  });

  it('polls for each different push, however close together: the poll before may have missed it', async () => {
    const push = (after: string) => ({ ...github('pushes'), after });
    const first = await fromGithub(push('1'.repeat(40)));
    const second = await fromGithub(push('2'.repeat(40)));
    expect([first.json().coalesced, second.json().coalesced]).toEqual([[], []]);
    await pollsSettled();
    expect(polled.filter((url) => url.endsWith('/pushes.git'))).toHaveLength(2);
  });

  it('refuses a 5 MiB body before reading it', async () => {
    const huge = JSON.stringify({ ...github('github'), padding: 'x'.repeat(5 * 1024 * 1024) });
    const response = await deliver({ 'x-github-event': 'push' }, huge);
    expect(response.statusCode).toBe(413);
    expect(response.json().message).toMatch(/larger than 1048576 bytes/);
  });

  it('answers 400 for invalid JSON', async () => {
    const response = await deliver({ 'x-github-event': 'push' }, '{"repository": ');
    expect(response.statusCode).toBe(400);
    expect(response.json().message).toMatch(/not valid JSON/);
  });

  it('answers 401 for a wrong signature, and polls nothing', async () => {
    const before = polled.length;
    const response = await fromGithub(github('gitea'), 'not-the-secret');
    expect(response.statusCode).toBe(401);
    expect(response.json().message).toMatch(
      /X-Hub-Signature-256 does not match the webhook secret/,
    );
    await pollsSettled();
    expect(polled.length).toBe(before);
  });

  it('answers 404 for a repository that is not registered', async () => {
    const response = await fromGithub(github('unknown'));
    expect(response.statusCode).toBe(404);
    expect(response.json().message).toMatch(/no registered repository matches .*unknown/);
  });

  it("answers 400 for a payload in another provider's shape", async () => {
    const gitlabShaped = JSON.stringify({
      project: { git_http_url: 'https://git.example.com/org/github.git' },
    });
    const response = await deliver(
      { 'x-github-event': 'push', 'x-hub-signature-256': `sha256=${hmac(gitlabShaped)}` },
      gitlabShaped,
    );
    expect(response.statusCode).toBe(400);
    expect(response.json().message).toMatch(/not a github push payload: it names no repository/);
  });

  it('keeps serving after every bad delivery', async () => {
    expect((await app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    expect((await api.call('GET', '/repositories')).statusCode).toBe(200);
  });
});
