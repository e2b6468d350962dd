import { Subjects } from './subjects';

/**
 * Names of every JetStream asset Cairn uses, derived from one root (`cairn` in
 * production, a per-run root in tests) so that several installations, or test runs,
 * share a NATS server without seeing each other.
 */
export class Topology {
  readonly subjects: Subjects;
  /** Stream, bucket and consumer names: the root with dots turned into underscores. */
  private readonly base: string;

  constructor(readonly root = 'cairn') {
    this.subjects = new Subjects(root);
    this.base = root.replace(/\./g, '_');
  }

  readonly streams = {
    desired: () => `${this.base}_desired`,
    commands: () => `${this.base}_commands`,
    status: () => `${this.base}_status`,
    events: () => `${this.base}_events`,
  };

  readonly buckets = {
    repositories: () => `${this.base}_repositories`,
    clusters: () => `${this.base}_clusters`,
    applications: () => `${this.base}_applications`,
    /** Object store of rendered bundles, keyed by digest. */
    bundles: () => `${this.base}_bundles`,
    /** What each reconciler last applied per app: inventory and revision, across restarts. */
    syncState: () => `${this.base}_sync_state`,
  };
}
