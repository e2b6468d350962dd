import { randomBytes } from 'node:crypto';
import { decode, DiffReply, DiffRequest, diffSubject, encode, Topology } from '@cairn/contracts';
import { connectNats } from '@cairn/nats';
import { RuntimeModule } from '@cairn/runtime';
import { testInfra } from '@cairn/testing';
import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppModule } from '../app.module';
import { ApiConfig } from '../config/api-config';
import { configureApi } from '../configure-api';
import {
  ApiClient,
  createScratchDatabase,
  generateEncryptionKey,
  topologyRootFor,
} from '../testing/api-test-app';
import { DiffModule } from './diff.module';

@Module({})
class TestRootModule {}

/**
 * The api with the diff module, against real PostgreSQL and NATS. The reconciler's side of
 * the request is played by a plain NATS responder here (the reconciler's own tests cover
 * how it computes a diff): what is tested is what the api makes of each answer.
 */
describe('api: GET /api/v1/applications/{name}/diff', () => {
  let app: NestFastifyApplication;
  let api: ApiClient;
  let nc: NatsConnection;
  let topology: Topology;
  let drop: () => Promise<void>;
  let reconciler: Subscription | undefined;
  const requests: DiffRequest[] = [];

  /** Plays the reconciler of cluster prod, answering every diff request with `reply`. */
  function reconcilerAnswers(reply: DiffReply) {
    reconciler?.unsubscribe();
    reconciler = nc.subscribe(diffSubject(topology, 'prod'), {
      callback: (_error, msg) => {
        requests.push(decode(DiffRequest, msg.data));
        msg.respond(encode(DiffReply, reply));
      },
    });
    return nc.flush();
  }

  beforeAll(async () => {
    const infra = testInfra();
    const database = await createScratchDatabase(infra.databaseUrl, 'api_diff');
    drop = database.drop;
    topology = new Topology(
      topologyRootFor(infra.natsPrefix, `diff_${randomBytes(4).toString('hex')}`),
    );
    const token = randomBytes(24).toString('base64url');
    const config = ApiConfig.load({
      CAIRN_DATABASE_URL: database.url,
      CAIRN_NATS_URL: infra.natsUrl,
      CAIRN_NATS_PREFIX: topology.root,
      CAIRN_ENCRYPTION_KEY: generateEncryptionKey(),
      CAIRN_ADMIN_TOKEN: token,
      CAIRN_LOG_LEVEL: 'silent',
    });
    app = await NestFactory.create<NestFastifyApplication>(
      {
        module: TestRootModule,
        imports: [RuntimeModule.forService(config), AppModule, DiffModule],
      },
      new FastifyAdapter(),
      { logger: false },
    );
    await configureApi(app, config);
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
    api = new ApiClient(app, token);
    nc = await connectNats({ url: infra.natsUrl, name: 'diff-test' });
    expect((await api.call('POST', '/clusters', { name: 'prod', mode: 'agent' })).statusCode).toBe(
      201,
    );
    const created = await api.call('POST', '/applications', {
      metadata: { name: 'shop' },
      spec: {
        source: { repoURL: 'https://git.example.com/org/apps.git', path: 'shop' },
        destination: { name: 'prod', namespace: 'shop' },
      },
    });
    expect(created.statusCode).toBe(201);
  });

  afterAll(async () => {
    reconciler?.unsubscribe();
    await app?.close();
    await nc?.close();
    await drop?.();
  });

  it("passes on the reconciler's per-object diff of the app", async () => {
    const resources = [
      {
        group: 'apps',
        kind: 'Deployment',
        namespace: 'shop',
        name: 'web',
        diff: [{ path: 'spec.replicas', live: 5, desired: 2 }],
      },
      {
        group: '',
        kind: 'Secret',
        namespace: 'shop',
        name: 'db',
        diff: [{ path: 'data.password', live: '***', desired: '***' }],
      },
    ];
    const revision = 'a'.repeat(40);
    await reconcilerAnswers({ v: 1, ok: true, app: 'shop', cluster: 'prod', revision, resources });

    const res = await api.call('GET', '/applications/shop/diff');

    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ app: 'shop', cluster: 'prod', revision, resources });
    expect(requests.at(-1)).toEqual({ v: 1, app: 'shop' });
  });

  it('says 404, naming the app, when it is not registered, without asking any reconciler', async () => {
    const asked = requests.length;
    const res = await api.call('GET', '/applications/nope/diff');
    expect(res.statusCode).toBe(404);
    expect(res.json().message).toBe('application "nope" is not registered');
    expect(requests).toHaveLength(asked);
  });

  it("passes on the reconciler's NotFound as a 404 with its reason", async () => {
    await reconcilerAnswers({
      v: 1,
      ok: false,
      reason: 'NotFound',
      message: 'nothing to compare yet: no revision of shop has been rendered',
    });
    const res = await api.call('GET', '/applications/shop/diff');
    expect(res.statusCode).toBe(404);
    expect(res.json().message).toBe(
      'nothing to compare yet: no revision of shop has been rendered',
    );
  });

  it('says 503, naming the cluster, when no reconciler serves it', async () => {
    reconciler?.unsubscribe();
    reconciler = undefined;
    await nc.flush();
    const res = await api.call('GET', '/applications/shop/diff');
    expect(res.statusCode).toBe(503);
    expect(res.json().message).toBe(
      'no reconciler serves cluster "prod" right now; try again once it runs',
    );
  });
});
