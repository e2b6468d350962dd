import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Topology } from '@cairn/contracts';
import { connectNats } from '@cairn/nats';
import { testInfra, uniqueName } from '@cairn/testing';
import { jetstream } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/transport-node';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  type ApiTestSettings,
  createScratchDatabase,
  generateEncryptionKey,
  startApi,
  topologyRootFor,
} from './testing/api-test-app';

describe('api: start-up, authentication, probes, metrics and OpenAPI', () => {
  const { databaseUrl, natsUrl, natsPrefix } = testInfra();
  const topology = new Topology(topologyRootFor(natsPrefix, uniqueName('startup')));
  let settings: ApiTestSettings;
  let database: Awaited<ReturnType<typeof createScratchDatabase>>;
  let stateDir: string;
  let nc: NatsConnection;
  let app: NestFastifyApplication | undefined;

  const restart = async () => {
    await app?.close();
    app = await startApi(settings);
    return app;
  };
  const adminToken = async () => (await readFile(settings.adminTokenFile ?? '', 'utf8')).trim();
  const get = async (url: string, token?: string) =>
    (app as NestFastifyApplication).inject({
      method: 'GET',
      url,
      headers: token ? { authorization: `Bearer ${token}` } : {},
    });

  beforeAll(async () => {
    database = await createScratchDatabase(databaseUrl, 'api_startup');
    stateDir = await mkdtemp(join(tmpdir(), 'cairn-api-'));
    settings = {
      databaseUrl: database.url,
      natsUrl,
      topologyRoot: topology.root,
      encryptionKey: generateEncryptionKey(),
      adminTokenFile: join(stateDir, 'state', 'admin-token'),
    };
    nc = await connectNats({ url: natsUrl, name: 'api-startup-test' });
  });

  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  afterAll(async () => {
    await nc?.close();
    await database?.drop();
    await rm(stateDir, { recursive: true, force: true });
  });

  it('generates an admin token into a file only its owner reads, and reuses it after a restart', async () => {
    await restart();

    const token = await adminToken();
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect((await stat(settings.adminTokenFile ?? '')).mode & 0o777).toBe(0o600);
    expect((await get('/api/v1/applications', token)).statusCode).toBe(200);
    expect((await get('/api/v1/applications')).statusCode).toBe(401);

    await restart();

    expect(await adminToken()).toBe(token);
    expect((await get('/api/v1/applications', token)).statusCode).toBe(200);
  });

  it('serves the probes and metrics without a token; readiness checks PostgreSQL and NATS', async () => {
    await restart();

    expect((await get('/healthz')).json()).toEqual({ status: 'ok' });
    const readiness = await get('/readyz');
    expect(readiness.statusCode).toBe(200);
    expect(readiness.json().checks).toEqual(
      expect.arrayContaining([
        { name: 'postgresql', status: 'ok' },
        { name: 'nats', status: 'ok' },
      ]),
    );
    expect((await get('/metrics')).statusCode).toBe(200);
    // At the root only: probes are not part of the versioned API.
    expect((await get('/api/v1/healthz')).statusCode).toBe(404);
  });

  it('counts HTTP requests by route and status, and status messages consumed', async () => {
    await restart();
    const token = await adminToken();
    await get('/api/v1/applications', token);
    await get('/api/v1/applications/absent', token);
    await get('/api/v1/clusters');
    // Breaks its contract: counted as invalid, and acknowledged rather than redelivered forever.
    await jetstream(nc).publish(topology.subjects.status('prod', 'broken'), '{"v":1}');

    await expect
      .poll(async () => (await get('/metrics')).body, { timeout: 10_000 })
      .toMatch(/^cairn_api_status_messages_total\{outcome="invalid"\} 1$/m);
    const metrics = (await get('/metrics')).body;
    expect(metrics).toMatch(
      /^cairn_api_http_requests_total\{method="GET",route="\/api\/v1\/applications",status="200"\} 1$/m,
    );
    expect(metrics).toMatch(
      /^cairn_api_http_requests_total\{method="GET",route="\/api\/v1\/applications\/:name",status="404"\} 1$/m,
    );
    expect(metrics).toMatch(
      /^cairn_api_http_requests_total\{method="GET",route="\/api\/v1\/clusters",status="401"\} 1$/m,
    );
  });

  it('serves its OpenAPI document at /api/v1/openapi.json, behind the token', async () => {
    await restart();

    expect((await get('/api/v1/openapi.json')).statusCode).toBe(401);
    const document = (await get('/api/v1/openapi.json', await adminToken())).json();

    expect(document.openapi).toMatch(/^3\./);
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/repositories',
        '/api/v1/clusters/{name}',
        '/api/v1/applications',
        '/api/v1/applications/{name}',
        '/api/v1/applications/{name}/sync',
        '/api/v1/applications/{name}/events',
        '/api/v1/applications/sync',
        '/api/v1/applications/refresh',
      ]),
    );
    const bulkSync = document.paths['/api/v1/applications/sync'].post;
    expect(
      Object.keys(bulkSync.requestBody.content['application/json'].schema.properties).sort(),
    ).toEqual(['cluster', 'dryRun', 'namespace', 'prune', 'selector']);
    const create = document.paths['/api/v1/applications'].post;
    expect(Object.keys(create.requestBody.content)).toEqual(
      expect.arrayContaining(['application/json', 'application/yaml']),
    );
    expect(create.requestBody.content['application/json'].schema.properties.spec).toBeDefined();
    expect(
      create.requestBody.content['application/json'].schema.properties.metadata.properties.labels,
    ).toBeDefined();
  });

  it('makes the registry match PostgreSQL at start: missing keys put back, stray ones removed', async () => {
    await restart();
    const token = await adminToken();
    const post = (url: string, payload: object) =>
      (app as NestFastifyApplication).inject({
        method: 'POST',
        url,
        headers: { authorization: `Bearer ${token}` },
        payload,
      });
    expect((await post('/api/v1/clusters', { name: 'kept', mode: 'agent' })).statusCode).toBe(201);
    await app?.close();
    app = undefined;

    // While the api is down, the bucket drifts from the database.
    const clusters = await new Kvm(nc).open(topology.buckets.clusters());
    await clusters.delete('kept');
    await clusters.put('stray', '{"v":1,"name":"stray","mode":"agent"}');

    await restart();

    expect((await clusters.get('kept'))?.json()).toMatchObject({ name: 'kept', mode: 'agent' });
    expect((await clusters.get('stray'))?.operation).toBe('DEL');
  });
});
