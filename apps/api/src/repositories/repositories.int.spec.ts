import { randomBytes } from 'node:crypto';
import { Topology } from '@cairn/contracts';
import { connectNats } from '@cairn/nats';
import { SecretBox } from '@cairn/secrets';
import { testInfra, uniqueName } from '@cairn/testing';
import { Kvm } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/transport-node';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createScratchDatabase,
  generateEncryptionKey,
  startApi,
  topologyRootFor,
} from '../testing/api-test-app';

describe('api: /api/v1/repositories', () => {
  const { databaseUrl, natsUrl, natsPrefix } = testInfra();
  const topology = new Topology(topologyRootFor(natsPrefix, uniqueName('repos')));
  const encryptionKey = generateEncryptionKey();
  const token = randomBytes(24).toString('base64url');
  const auth = { authorization: `Bearer ${token}` };
  const password = `pw-${randomBytes(8).toString('hex')}`;
  const webhookSecret = `hook-${randomBytes(8).toString('hex')}`;
  let database: Awaited<ReturnType<typeof createScratchDatabase>>;
  let app: NestFastifyApplication;
  let nc: NatsConnection;

  const call = (method: 'GET' | 'POST' | 'DELETE', url: string, payload?: unknown) =>
    app.inject({ method, url: `/api/v1${url}`, headers: auth, payload: payload as object });

  beforeAll(async () => {
    database = await createScratchDatabase(databaseUrl, 'api_repos');
    app = await startApi({
      databaseUrl: database.url,
      natsUrl,
      topologyRoot: topology.root,
      encryptionKey,
      adminToken: token,
    });
    nc = await connectNats({ url: natsUrl, name: 'repositories-test' });
  });

  afterAll(async () => {
    await app?.close();
    await nc?.close();
    await database?.drop();
  });

  it('registers a repository, shows it without its secrets, and lists it', async () => {
    const created = await call('POST', '/repositories', {
      url: 'https://git.example.com/org/guestbook.git',
      username: 'cairn',
      password,
      webhookSecret,
    });

    expect(created.statusCode).toBe(201);
    const repository = created.json();
    expect(repository).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      url: 'https://git.example.com/org/guestbook.git',
      username: 'cairn',
      pollIntervalSeconds: 15,
      hasPassword: true,
      hasWebhookSecret: true,
      createdAt: expect.any(String),
    });
    const read = await call('GET', `/repositories/${repository.id}`);
    expect(read.json()).toEqual(repository);
    const list = await call('GET', '/repositories');
    expect(list.json().items).toContainEqual(repository);
    for (const body of [created.body, read.body, list.body]) {
      expect(body).not.toContain(password);
      expect(body).not.toContain(webhookSecret);
    }
  });

  it('mirrors it to the registry with its credentials sealed by the encryption key', async () => {
    const { id } = (
      await call('POST', '/repositories', {
        url: 'https://git.example.com/org/sealed',
        password,
        pollIntervalSeconds: 60,
      })
    ).json();

    const bucket = await new Kvm(nc).open(topology.buckets.repositories());
    const entry = await bucket.get(id);
    expect(entry?.string()).not.toContain(password);
    const registration = entry?.json<Record<string, string>>();
    expect(registration).toMatchObject({
      v: 1,
      id,
      url: 'https://git.example.com/org/sealed',
      pollIntervalSeconds: 60,
      passwordSealed: expect.stringMatching(/^v1:/),
    });
    // What the repo-poller will do with it: open it with the shared key.
    expect(SecretBox.fromBase64Key(encryptionKey).open(registration?.passwordSealed ?? '')).toBe(
      password,
    );
  });

  it('refuses a second registration of one repository, however it is spelled', async () => {
    await call('POST', '/repositories', { url: 'https://git.example.com/org/once' });

    const again = await call('POST', '/repositories', {
      url: 'https://GIT.example.com/org/once.git/',
    });

    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({
      statusCode: 409,
      error: 'Conflict',
      message: expect.stringContaining('is already registered'),
    });
  });

  it('answers 400 naming the field for a bad URL, interval or credentials in the URL', async () => {
    const cases: Array<[unknown, string]> = [
      [{}, 'url: Required'],
      [{ url: 'ftp://git.example.com/x' }, 'url: '],
      [{ url: 'https://git.example.com/x', pollIntervalSeconds: 0 }, 'pollIntervalSeconds: '],
      [{ url: `https://cairn:${password}@git.example.com/x` }, 'url: must not carry credentials'],
    ];
    for (const [body, message] of cases) {
      const response = await call('POST', '/repositories', body);
      expect(response.statusCode, JSON.stringify(body)).toBe(400);
      expect(response.json()).toMatchObject({
        statusCode: 400,
        error: 'Bad Request',
        message: expect.stringContaining(message),
        problems: [expect.objectContaining({ path: message.split(':')[0] })],
      });
      expect(response.body).not.toContain(password);
    }
  });

  it('deletes a repository: gone from GET and from the registry', async () => {
    const { id } = (
      await call('POST', '/repositories', { url: 'https://git.example.com/org/gone' })
    ).json();

    const deleted = await call('DELETE', `/repositories/${id}`);

    expect(deleted.statusCode).toBe(204);
    expect((await call('GET', `/repositories/${id}`)).statusCode).toBe(404);
    const bucket = await new Kvm(nc).open(topology.buckets.repositories());
    expect((await bucket.get(id))?.operation).toBe('DEL');
  });

  it('refuses to delete a repository an application deploys from, naming the application', async () => {
    const { id } = (
      await call('POST', '/repositories', { url: 'https://git.example.com/org/in-use.git' })
    ).json();
    await call('POST', '/clusters', { name: 'edge', mode: 'agent' });
    const created = await call('POST', '/applications', {
      metadata: { name: 'dependent' },
      spec: {
        source: { repoURL: 'https://git.example.com/org/in-use' },
        destination: { name: 'edge' },
      },
    });
    expect(created.statusCode).toBe(201);

    const refused = await call('DELETE', `/repositories/${id}`);

    expect(refused.statusCode).toBe(409);
    expect(refused.json().message).toContain('"dependent"');
    expect((await call('GET', `/repositories/${id}`)).statusCode).toBe(200);
  });

  it('answers 404 for an unknown or malformed id', async () => {
    for (const id of ['7d0b7ad4-6d3c-4c43-9d55-2f0b8f6b1c11', 'not-a-uuid']) {
      const response = await call('GET', `/repositories/${id}`);
      expect(response.statusCode).toBe(404);
      expect(response.json().message).toBe(`repository "${id}" is not registered`);
    }
  });

  it('answers 401 without a token or with a wrong one', async () => {
    for (const headers of [{}, { authorization: 'Bearer wrong-token' }, { authorization: token }]) {
      const response = await app.inject({ method: 'GET', url: '/api/v1/repositories', headers });
      expect(response.statusCode).toBe(401);
      expect(response.headers['www-authenticate']).toBe('Bearer realm="cairn"');
      expect(response.json()).toMatchObject({ statusCode: 401, error: 'Unauthorized' });
    }
  });
});
