import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/** deferred: another repo-poller replica held the repository for over 10 s; the next poll looks again. */
export type PollResult = 'unchanged' | 'changed' | 'deferred' | 'error';
/** success: a bundle; invalid: the manifests are wrong (renderError); error: Cairn could not render. */
export type RenderResult = 'success' | 'invalid' | 'error';

/** The repo-poller's Prometheus metrics, in the service's registry (/metrics). */
@Injectable()
export class PollerMetrics {
  readonly polls: Counter<'result'>;
  readonly fetches: Counter;
  readonly renders: Counter<'result'>;
  readonly pollDuration: Histogram;
  readonly repositories: Gauge;
  readonly members: Gauge;

  constructor(registry: Registry) {
    const registers = [registry];
    this.polls = new Counter({
      name: 'cairn_poller_polls_total',
      help: 'Repository polls (one ref advertisement each), by result.',
      labelNames: ['result'],
      registers,
    });
    this.fetches = new Counter({
      name: 'cairn_poller_fetches_total',
      help: 'Fetches from git servers: only when a watched ref moved to a commit not in the cache.',
      registers,
    });
    this.renders = new Counter({
      name: 'cairn_poller_renders_total',
      help: 'Application renders, by result.',
      labelNames: ['result'],
      registers,
    });
    this.pollDuration = new Histogram({
      name: 'cairn_poller_poll_duration_seconds',
      help: 'Time to poll one repository, fetch and render included.',
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers,
    });
    this.repositories = new Gauge({
      name: 'cairn_poller_repositories',
      help: 'Repositories this replica polls (rendezvous hashing over the live replicas).',
      registers,
    });
    this.members = new Gauge({
      name: 'cairn_poller_members',
      help: 'Live repo-poller replicas, this one included, that share the repositories.',
      registers,
    });
  }
}
