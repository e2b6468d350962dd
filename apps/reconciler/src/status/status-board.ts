import { type AppCondition, AppStatus, decode, encode, type Topology } from '@cairn/contracts';
import { type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import { clearConditions } from './conditions';

export type StatusChange = Partial<Omit<AppStatus, 'v' | 'app' | 'cluster' | 'reconciledAt'>>;

/**
 * The current AppStatus of every app of one cluster. Each change publishes the full
 * snapshot on `status.<cluster>.<app>`; the status stream keeps the newest one per app,
 * which is also where a restarted worker picks up what it last reported.
 *
 * While the cluster cannot be reached, what is published says so (sync and health Unknown,
 * a ClusterUnreachable condition) over what is known, which is kept as it was and updated as
 * usual: when the cluster is back, the apps show what they showed before, until compared again.
 */
export class StatusBoard {
  private readonly statuses = new Map<string, AppStatus>();
  private readonly loading = new Map<string, Promise<void>>();
  private unreachable?: AppCondition;

  constructor(
    private readonly cluster: string,
    private readonly topology: Topology,
    private readonly js: JetStreamClient,
    private readonly jsm: JetStreamManager,
  ) {}

  /** What is known of the app, whether or not the cluster can be reached now. */
  async current(app: string): Promise<AppStatus> {
    await this.load(app);
    return this.statuses.get(app) as AppStatus;
  }

  /**
   * Whether the cluster can be reached, and if not why and since when: what is published from
   * now on says so. Each app's status is published again by `republish`.
   */
  setReachability(
    state: { reachable: true } | { reachable: false; message: string; since: string },
  ) {
    this.unreachable = state.reachable
      ? undefined
      : { type: 'ClusterUnreachable', message: state.message, lastTransitionTime: state.since };
  }

  /** Publishes what is known of the app again, as things stand now. */
  republish(app: string): Promise<AppStatus> {
    return this.update(app, {});
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
      encode(AppStatus, this.published(next)),
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

  /** The status as the world should see it now. */
  private published(status: AppStatus): AppStatus {
    const outage = this.unreachable;
    if (!outage) return status;
    return {
      ...status,
      sync: { ...status.sync, status: 'Unknown' },
      health: { status: 'Unknown', message: outage.message },
      conditions: [...clearConditions(status.conditions, 'ClusterUnreachable'), outage],
    };
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
    // A direct get names the subject in the request's own subject, so that an agent's NATS
    // permissions can allow its own cluster's statuses and no other.
    const stored = await this.jsm.direct.getMessage(this.topology.streams.status(), {
      last_by_subj: this.topology.subjects.status(this.cluster, app),
    });
    if (!stored) return undefined;
    try {
      const status = decode(AppStatus, stored.data);
      // Published during an outage: the outage is this process's to tell, not a fact to keep.
      return { ...status, conditions: clearConditions(status.conditions, 'ClusterUnreachable') };
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
