import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ClusterCredentials, Topology } from '@cairn/contracts';
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

describe('api: /api/v1/clusters', () => {
  const { databaseUrl, natsUrl, natsPrefix, kubeconfigPath } = testInfra();
  const topology = new Topology(topologyRootFor(natsPrefix, uniqueName('clusters')));
  const encryptionKey = generateEncryptionKey();
  const token = randomBytes(24).toString('base64url');
  const kubeconfig = readFileSync(kubeconfigPath, 'utf8');
  const bearerToken = `bt-${randomBytes(12).toString('hex')}`;
  const keyData = Buffer.from(`key-${randomBytes(12).toString('hex')}`).toString('base64');
  let database: Awaited<ReturnType<typeof createScratchDatabase>>;
  let app: NestFastifyApplication;
  let nc: NatsConnection;

  const call = (method: 'GET' | 'POST' | 'DELETE', url: string, payload?: unknown) =>
    app.inject({
      method,
      url: `/api/v1${url}`,
      headers: { authorization: `Bearer ${token}` },
      payload: payload as object,
    });

  /** Every credential given to the api in this file: none may ever come back. */
  const secrets = () => [bearerToken, keyData, ...privateKeysOf(kubeconfig)];

  beforeAll(async () => {
    database = await createScratchDatabase(databaseUrl, 'api_clusters');
    app = await startApi({
      databaseUrl: database.url,
      natsUrl,
      topologyRoot: topology.root,
      encryptionKey,
      adminToken: token,
    });
    nc = await connectNats({ url: natsUrl, name: 'clusters-test' });
  });

  afterAll(async () => {
    await app?.close();
    await nc?.close();
    await database?.drop();
  });

  it('registers a cluster from a kubeconfig, taking its server from the current context', async () => {
    const created = await call('POST', '/clusters', { name: 'test-cluster', kubeconfig });

    expect(created.statusCode).toBe(201);
    const server = /server: (\S+)/.exec(kubeconfig)?.[1];
    const cluster = created.json();
    expect(cluster).toEqual({
      name: 'test-cluster',
      mode: 'direct',
      server,
      hasCredentials: true,
      connectionState: { status: 'Unknown' },
      info: { applicationsCount: 0 },
      createdAt: expect.any(String),
    });
    const read = await call('GET', '/clusters/test-cluster');
    expect(read.json()).toEqual(cluster);
    const list = await call('GET', '/clusters');
    expect(list.json().items).toContainEqual(cluster);
    for (const body of [created.body, read.body, list.body]) {
      for (const secret of secrets()) expect(body).not.toContain(secret);
    }
  });

  it("registers Argo CD's shape and mirrors the credentials sealed, openable with the key", async () => {
    const created = await call('POST', '/clusters', {
      name: 'argo-shaped',
      server: 'https://10.0.0.1:6443',
      config: { bearerToken, tlsClientConfig: { insecure: false, caData: 'Y2E=' } },
    });
    expect(created.statusCode).toBe(201);
    expect(created.body).not.toContain(bearerToken);

    const entry = await (await new Kvm(nc).open(topology.buckets.clusters())).get('argo-shaped');
    expect(entry?.string()).not.toContain(bearerToken);
    const registration = entry?.json<{ credentialsSealed: string }>();
    expect(registration).toMatchObject({
      v: 1,
      name: 'argo-shaped',
      mode: 'direct',
      server: 'https://10.0.0.1:6443',
      credentialsSealed: expect.stringMatching(/^v1:/),
    });
    const opened = SecretBox.fromBase64Key(encryptionKey).open(
      registration?.credentialsSealed ?? '',
    );
    expect(ClusterCredentials.parse(JSON.parse(opened))).toEqual({
      server: 'https://10.0.0.1:6443',
      bearerToken,
      tlsClientConfig: { insecure: false, caData: 'Y2E=' },
    });
  });

  it('registers an agent cluster with no credentials at all', async () => {
    const created = await call('POST', '/clusters', { name: 'edge-agent', mode: 'agent' });

    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({
      name: 'edge-agent',
      mode: 'agent',
      hasCredentials: false,
    });
    const entry = await (await new Kvm(nc).open(topology.buckets.clusters())).get('edge-agent');
    expect(entry?.json()).not.toHaveProperty('credentialsSealed');
  });

  it('refuses a kubeconfig with an exec plugin, naming kubeconfig, and stores nothing', async () => {
    const exec = kubeconfig.replace(
      /user:\n(\s+)client-certificate-data:/,
      `user:\n$1exec:\n$1  apiVersion: client.authentication.k8s.io/v1beta1\n$1  command: /bin/sh\n$1client-certificate-data:`,
    );
    expect(exec).toContain('command: /bin/sh');

    const refused = await call('POST', '/clusters', { name: 'exec-cluster', kubeconfig: exec });

    expect(refused.statusCode).toBe(400);
    expect(refused.json()).toMatchObject({
      statusCode: 400,
      error: 'Bad Request',
      message: expect.stringMatching(/^kubeconfig: .*exec plugins are not allowed/),
      problems: [{ path: 'kubeconfig', reason: expect.stringContaining('exec plugins') }],
    });
    for (const secret of secrets()) expect(refused.body).not.toContain(secret);
    expect((await call('GET', '/clusters/exec-cluster')).statusCode).toBe(404);
  });

  it('answers 400 naming the field for a bad name, server, or an agent given credentials', async () => {
    const cases: Array<[unknown, string]> = [
      [{ name: 'Not_A_Label', mode: 'agent' }, 'name'],
      [{ name: 'no-server', config: {} }, 'server'],
      [{ name: 'bad-server', server: 'not a url' }, 'server'],
      [{ name: 'agent-with-keys', mode: 'agent', kubeconfig }, 'kubeconfig'],
      [{ name: 'broken', kubeconfig: 'clusters: [\n - oops: 1\n token: x' }, 'kubeconfig'],
    ];
    for (const [body, path] of cases) {
      const response = await call('POST', '/clusters', body);
      expect(response.statusCode, JSON.stringify(body).slice(0, 80)).toBe(400);
      expect(response.json().problems).toContainEqual(expect.objectContaining({ path }));
      expect(response.json().message).toContain(`${path}: `);
      for (const secret of secrets()) expect(response.body).not.toContain(secret);
    }
  });

  it('answers 409 for a name already registered', async () => {
    await call('POST', '/clusters', { name: 'twice', mode: 'agent' });
    const again = await call('POST', '/clusters', { name: 'twice', mode: 'agent' });
    expect(again.statusCode).toBe(409);
    expect(again.json().message).toBe('cluster "twice" is already registered');
  });

  it('deletes a cluster: gone from GET and from the registry', async () => {
    await call('POST', '/clusters', { name: 'short-lived', mode: 'agent' });

    expect((await call('DELETE', '/clusters/short-lived')).statusCode).toBe(204);

    expect((await call('GET', '/clusters/short-lived')).statusCode).toBe(404);
    const entry = await (await new Kvm(nc).open(topology.buckets.clusters())).get('short-lived');
    expect(entry?.operation).toBe('DEL');
  });

  it('refuses to delete a cluster that an application deploys to, naming the application', async () => {
    await call('POST', '/clusters', { name: 'busy', mode: 'agent' });
    const app = await call('POST', '/applications', {
      metadata: { name: 'tenant' },
      spec: {
        source: { repoURL: 'https://git.example.com/org/apps' },
        destination: { name: 'busy' },
      },
    });
    expect(app.statusCode).toBe(201);

    const refused = await call('DELETE', '/clusters/busy');

    expect(refused.statusCode).toBe(409);
    expect(refused.json().message).toContain('"tenant"');
    expect((await call('GET', '/clusters/busy')).json().info).toEqual({ applicationsCount: 1 });
  });
});

function privateKeysOf(kubeconfig: string): string[] {
  return [...kubeconfig.matchAll(/(?:client-key-data|token): (\S+)/g)].map((m) => m[1]);
}
