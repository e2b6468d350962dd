import 'reflect-metadata';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type ApplicationRegistration,
  decode,
  DesiredState,
  type RepositoryRegistration,
  Topology,
} from '@cairn/contracts';
import { BundleStore, connectNats, ensureTopology } from '@cairn/nats';
import { RegistryWriter } from '@cairn/registry';
import { RuntimeModule } from '@cairn/runtime';
import { SecretBox } from '@cairn/secrets';
import { DeliverPolicy, jetstream } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from '../app.module';
import { PollerConfig } from '../config/poller-config';
import { PollerMembers } from '../replicas/poller-members';
import { CapturedLogs } from './captured-logs';

/**
 * The real repo-poller, in process, for integration tests: the same modules as main.ts
 * against real NATS, with a cache directory and a Topology of its own. Around it, what the
 * api would do (write registrations) and what a reconciler would see (desired states,
 * bundles), and the poller's /readyz and /metrics through Fastify's inject().
 */
export class PollerUnderTest {
  readonly encryptionKey = SecretBox.generateKey();
  readonly box = SecretBox.fromBase64Key(this.encryptionKey);
  readonly logs = new CapturedLogs();
  private app?: NestFastifyApplication;

  private constructor(
    readonly topology: Topology,
    readonly nc: NatsConnection,
    readonly writer: RegistryWriter,
    readonly bundles: BundleStore,
    readonly cacheDir: string,
  ) {}

  /** Connects and creates the streams and buckets; registrations may be written before `start`. */
  static async prepare(natsUrl: string, topologyRoot: string): Promise<PollerUnderTest> {
    const topology = new Topology(topologyRoot);
    const nc = await connectNats({ url: natsUrl, name: 'repo-poller-test' });
    await ensureTopology(nc, topology);
    return new PollerUnderTest(
      topology,
      nc,
      await RegistryWriter.open(nc, topology),
      await BundleStore.open(nc, topology),
      await mkdtemp(join(tmpdir(), 'cairn-poller-cache-')),
    );
  }

  async start(natsUrl: string, pollIntervalSeconds = 1): Promise<void> {
    const config = PollerConfig.load({
      CAIRN_NATS_URL: natsUrl,
      CAIRN_NATS_PREFIX: this.topology.root,
      CAIRN_ENCRYPTION_KEY: this.encryptionKey,
      CAIRN_CACHE_DIR: this.cacheDir,
      CAIRN_POLL_INTERVAL_SECONDS: String(pollIntervalSeconds),
    });
    @Module({ imports: [RuntimeModule.forService(config), AppModule] })
    class PollerTestRoot {}
    this.app = await NestFactory.create<NestFastifyApplication>(
      PollerTestRoot,
      new FastifyAdapter(),
      { logger: this.logs },
    );
    await this.app.init();
    await this.app.getHttpAdapter().getInstance().ready();
  }

  async stop(): Promise<void> {
    await this.app?.close();
    await this.nc.close();
    await rm(this.cacheDir, { recursive: true, force: true });
  }

  putRepository(registration: Omit<RepositoryRegistration, 'v' | 'updatedAt'>): Promise<void> {
    return this.writer.putRepository({
      v: 1,
      updatedAt: new Date().toISOString(),
      ...registration,
    });
  }

  putApplication(
    name: string,
    source: ApplicationRegistration['spec']['source'],
    cluster = 'local',
  ): Promise<void> {
    return this.writer.putApplication({
      v: 1,
      name,
      cluster,
      spec: {
        source,
        destination: { name: cluster, namespace: 'default' },
        syncPolicy: { syncOptions: [] },
      },
      updatedAt: new Date().toISOString(),
    });
  }

  /** Desired states of one app, in order, as its reconciler would consume them. */
  async watchDesired(app: string, cluster = 'local'): Promise<DesiredState[]> {
    const received: DesiredState[] = [];
    const consumer = await jetstream(this.nc).consumers.get(this.topology.streams.desired(), {
      // one subject as a string: servers before 2.10 take no list
      filter_subjects: this.topology.subjects.desired(cluster, app),
      deliver_policy: DeliverPolicy.All,
    });
    const messages = await consumer.consume();
    void (async () => {
      for await (const message of messages) received.push(decode(DesiredState, message.data));
    })();
    return received;
  }

  /** A `<root>.poll` request, as the api sends it for webhooks and refreshes. */
  async requestPoll(body: unknown): Promise<unknown> {
    const reply = await this.nc.request(`${this.topology.root}.poll`, JSON.stringify(body), {
      timeout: 10_000,
    });
    return reply.json();
  }

  /** This replica's id among the live repo-pollers. */
  memberId(): string {
    if (!this.app) throw new Error('the poller is not started');
    return this.app.get(PollerMembers).self;
  }

  async get(path: string): Promise<{ status: number; body: string }> {
    if (!this.app) throw new Error('the poller is not started');
    const response = await this.app
      .getHttpAdapter()
      .getInstance()
      .inject({ method: 'GET', url: path });
    return { status: response.statusCode, body: response.body };
  }

  /** One sample from /metrics, e.g. `cairn_poller_polls_total{result="error"}`; 0 until it exists. */
  async metric(series: string): Promise<number> {
    const { body } = await this.get('/metrics');
    const line = body.split('\n').find((l) => l.startsWith(`${series} `));
    return line ? Number(line.slice(series.length + 1)) : 0;
  }

  /** Polls of every result so far. */
  async polls(): Promise<number> {
    const results = ['unchanged', 'changed', 'deferred', 'error'];
    const counts = await Promise.all(
      results.map((result) => this.metric(`cairn_poller_polls_total{result="${result}"}`)),
    );
    return counts.reduce((a, b) => a + b, 0);
  }
}
