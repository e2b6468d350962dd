import { randomBytes } from 'node:crypto';
import { Topology } from '@cairn/contracts';
import { connectNats } from '@cairn/nats';
import type { NatsConnection } from '@nats-io/transport-node';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { RuntimeModule } from '@cairn/runtime';
import { SecretBox } from '@cairn/secrets';
import { Client } from 'pg';
import { AppModule } from '../app.module';
import { ApiConfig } from '../config/api-config';
import { configureApi } from '../configure-api';

/**
 * The real api, in-process, for integration tests: the same modules and configureApi as
 * main.ts, against a real PostgreSQL database and NATS. Requests go through Fastify's
 * inject(), which runs the whole HTTP pipeline (parsers, guard, filters) without a port.
 */

export interface ApiTestSettings {
  databaseUrl: string;
  natsUrl: string;
  topologyRoot: string;
  encryptionKey: string;
  adminToken?: string;
  adminTokenFile?: string;
}

@Module({})
class TestRootModule {}

export async function startApi(settings: ApiTestSettings): Promise<NestFastifyApplication> {
  const config = ApiConfig.load({
    CAIRN_DATABASE_URL: settings.databaseUrl,
    CAIRN_NATS_URL: settings.natsUrl,
    CAIRN_NATS_PREFIX: settings.topologyRoot,
    CAIRN_ENCRYPTION_KEY: settings.encryptionKey,
    CAIRN_ADMIN_TOKEN: settings.adminToken,
    CAIRN_ADMIN_TOKEN_FILE: settings.adminTokenFile,
    CAIRN_LOG_LEVEL: 'silent',
  });
  const app = await NestFactory.create<NestFastifyApplication>(
    { module: TestRootModule, imports: [RuntimeModule.forService(config), AppModule] },
    new FastifyAdapter(),
    { logger: false },
  );
  await configureApi(app, config);
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return app;
}

/** An empty database of the caller's own, next to the run's one; drop() removes it. */
export async function createScratchDatabase(
  runDatabaseUrl: string,
  prefix: string,
): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `${prefix}_${randomBytes(4).toString('hex')}`;
  const admin = async (sql: string) => {
    const client = new Client({ connectionString: runDatabaseUrl });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin(`CREATE DATABASE "${name}"`);
  const url = new URL(runDatabaseUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
  };
}

/** A topology root of the test's own under the run's NATS prefix: `<prefix>_<suffix>`. */
export function topologyRootFor(natsPrefix: string, suffix: string): string {
  return `${natsPrefix}_${suffix}`.replace(/[.-]/g, '_');
}

export function generateEncryptionKey(): string {
  return SecretBox.generateKey();
}

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** Requests as a user of /api/v1 makes them: with the admin token, JSON or YAML bodies. */
export class ApiClient {
  constructor(
    private readonly app: NestFastifyApplication,
    private readonly token: string,
  ) {}

  call(method: Method, url: string, payload?: unknown, contentType?: string) {
    return this.app.inject({
      method,
      url: `/api/v1${url}`,
      headers: {
        authorization: `Bearer ${this.token}`,
        ...(contentType && { 'content-type': contentType }),
      },
      payload: payload as string,
    });
  }

  /** Polls GET until `done` holds, as a user refreshing the page would; the last body on timeout. */
  async waitFor<T>(url: string, done: (body: T) => boolean, timeoutMs = 10_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const body: T = (await this.call('GET', url)).json();
      if (done(body)) return body;
      if (Date.now() > deadline) {
        throw new Error(
          `GET ${url}: not as expected within ${timeoutMs} ms: ${JSON.stringify(body)}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

/** An api of a test file's own: its database, topology root, key and token, and a client. */
export interface TestApi {
  app: NestFastifyApplication;
  api: ApiClient;
  /** The test's own connection, to publish and read what the api exchanges over NATS. */
  nc: NatsConnection;
  topology: Topology;
  encryptionKey: string;
  token: string;
  stop(): Promise<void>;
}

export async function startTestApi(
  infra: { databaseUrl: string; natsUrl: string; natsPrefix: string },
  name: string,
): Promise<TestApi> {
  const database = await createScratchDatabase(infra.databaseUrl, `api_${name}`);
  const topology = new Topology(
    topologyRootFor(infra.natsPrefix, `${name}_${randomBytes(4).toString('hex')}`),
  );
  const encryptionKey = generateEncryptionKey();
  const token = randomBytes(24).toString('base64url');
  const app = await startApi({
    databaseUrl: database.url,
    natsUrl: infra.natsUrl,
    topologyRoot: topology.root,
    encryptionKey,
    adminToken: token,
  });
  const nc = await connectNats({ url: infra.natsUrl, name: `${name}-test` });
  const stop = async () => {
    await app.close();
    await nc.close();
    await database.drop();
  };
  return { app, api: new ApiClient(app, token), nc, topology, encryptionKey, token, stop };
}
