import { AppStatus, decode, encode, type Topology } from '@cairn/contracts';
import { type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';

export type StatusChange = Partial<Omit<AppStatus, 'v' | 'app' | 'cluster' | 'reconciledAt'>>;

/**
 * The current AppStatus of every app of one cluster. Each change publishes the full
 * snapshot on `status.<cluster>.<app>`; the status stream keeps the newest one per app,
 * which is also where a restarted worker picks up what it last reported.
 */
export class StatusBoard {
  private readonly statuses = new Map<string, AppStatus>();
  private readonly loading = new Map<string, Promise<void>>();

  constructor(
    private readonly cluster: string,
    private readonly topology: Topology,
    private readonly js: JetStreamClient,
    private readonly jsm: JetStreamManager,
  ) {}

  async current(app: string): Promise<AppStatus> {
    await this.load(app);
    return this.statuses.get(app) as AppStatus;
  }

  /** Applies a change (or a function of the current status) and publishes the result. */
  async update(
    app: string,
    change: StatusChange | ((status: AppStatus) => StatusChange),
  ): Promise<AppStatus> {
    await this.load(app);
    // From here on synchronous: two updates of one app never interleave.
    const status = this.statuses.get(app) as AppStatus;
    const next: AppStatus = {
      ...status,
      ...(typeof change === 'function' ? change(status) : change),
      reconciledAt: new Date().toISOString(),
    };
    this.statuses.set(app, next);
    await this.js.publish(
      this.topology.subjects.status(this.cluster, app),
      encode(AppStatus, next),
    );
    return next;
  }

  /** Forgets a deleted app, including its last status in the stream. */
  async remove(app: string): Promise<void> {
    this.statuses.delete(app);
    this.loading.delete(app);
    await this.jsm.streams.purge(this.topology.streams.status(), {
      filter: this.topology.subjects.status(this.cluster, app),
    });
  }

  private load(app: string): Promise<void> {
    let loading = this.loading.get(app);
    if (!loading) {
      loading = this.lastPublished(app).then((status) => {
        if (!this.statuses.has(app)) this.statuses.set(app, status ?? this.initial(app));
      });
      // A failed read is retried on the next call instead of being remembered.
      loading.catch(() => this.loading.delete(app));
      this.loading.set(app, loading);
    }
    return loading;
  }

  private async lastPublished(app: string): Promise<AppStatus | undefined> {
    const stored = await this.jsm.streams.getMessage(this.topology.streams.status(), {
      last_by_subj: this.topology.subjects.status(this.cluster, app),
    });
    if (!stored) return undefined;
    try {
      return decode(AppStatus, stored.data);
    } catch {
      return undefined; // written by an older build: start afresh rather than fail the app
    }
  }

  private initial(app: string): AppStatus {
    return {
      v: 1,
      app,
      cluster: this.cluster,
      sync: { status: 'Unknown' },
      health: { status: 'Missing', message: 'Nothing deployed yet' },
      resources: [],
      conditions: [],
      reconciledAt: new Date().toISOString(),
    };
  }
}
