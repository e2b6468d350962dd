import { Topology } from '@cairn/contracts';
import { BundleStore, connectNats, ensureTopology } from '@cairn/nats';
import { Registry } from '@cairn/registry';
import { ReadinessChecks } from '@cairn/runtime';
import { jetstream, type JetStreamClient } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import { PollerConfig } from '../config/poller-config';

/** Everything the poller needs from NATS, usable once the session is open. */
export interface OpenSession {
  nc: NatsConnection;
  js: JetStreamClient;
  topology: Topology;
  registry: Registry;
  bundles: BundleStore;
}

/** How long startup waits for NATS before it serves /healthz anyway (and /readyz says why). */
const START_WAIT_MS = 5_000;
const RETRY_MS = 5_000;

/**
 * Owns the poller's NATS connection, its streams and buckets, and the registry view.
 * Opening never blocks startup for long: the HTTP probes come up either way, and /readyz
 * stays unavailable until NATS is connected and every registration is loaded.
 */
@Injectable()
export class PollerSession implements OnModuleInit, OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(PollerSession.name);
  readonly topology: Topology;
  /** Resolves once the session is open; never rejects (opening retries until shutdown). */
  opened!: Promise<OpenSession>;
  private session?: OpenSession;
  private connection?: NatsConnection;
  private connected = false;
  private closing = false;

  constructor(
    private readonly config: PollerConfig,
    private readonly readiness: ReadinessChecks,
  ) {
    this.topology = new Topology(config.natsPrefix);
  }

  /** The open session; only call this from work that starts after `opened` resolved. */
  get current(): OpenSession {
    if (!this.session) throw new Error('the NATS session of the repo-poller is not open yet');
    return this.session;
  }

  onModuleInit(): void {
    const servers = this.config.natsServers.join(',');
    this.readiness.register('nats', () => {
      if (!this.connected) throw new Error(`not connected to NATS at ${servers}`);
    });
    this.readiness.register('registry', () => {
      if (!this.session) throw new Error('registrations are not loaded yet');
    });
    this.opened = this.openWithRetry();
  }

  async onApplicationBootstrap(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const waited = new Promise<void>((resolve) => (timer = setTimeout(resolve, START_WAIT_MS)));
    await Promise.race([this.opened, waited]);
    clearTimeout(timer);
  }

  async onApplicationShutdown(): Promise<void> {
    this.closing = true;
    this.session?.registry.close();
    if (this.connection && !this.connection.isClosed()) await this.connection.drain();
  }

  private async openWithRetry(): Promise<OpenSession> {
    for (;;) {
      try {
        this.session = await this.open();
        this.logger.log({ msg: 'NATS session open', root: this.topology.root });
        return this.session;
      } catch (error) {
        if (this.closing) return new Promise<never>(() => undefined);
        this.logger.error({
          msg: `cannot set up NATS streams and registry, retrying in ${RETRY_MS / 1000} s`,
          root: this.topology.root,
          error: (error as Error).message,
        });
        await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
      }
    }
  }

  private async open(): Promise<OpenSession> {
    this.connection ??= await this.connect();
    const nc = this.connection;
    await ensureTopology(nc, this.topology);
    const registry = await Registry.open(nc, this.topology, (key, error) =>
      this.logger.warn({ msg: 'skipping an invalid registration', key, error: error.message }),
    );
    const bundles = await BundleStore.open(nc, this.topology);
    return { nc, js: jetstream(nc), topology: this.topology, registry, bundles };
  }

  private async connect(): Promise<NatsConnection> {
    const nc = await connectNats({
      url: this.config.natsServers,
      name: 'repo-poller',
      auth: this.config.natsAuth,
    });
    this.connected = true;
    void (async () => {
      for await (const status of nc.status()) {
        if (status.type === 'disconnect') this.connected = false;
        if (status.type === 'reconnect') this.connected = true;
      }
    })();
    void nc.closed().then(() => (this.connected = false));
    return nc;
  }
}
