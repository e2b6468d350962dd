import { normalizeRepositoryUrl, redactUrl } from '@cairn/git';
import {
  type BeforeApplicationShutdown,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { PollerConfig } from '../config/poller-config';
import { PollerSession } from '../nats/poller-session';
import { ConcurrencyLimit } from './concurrency-limit';
import { PollerMetrics } from './poller-metrics';
import { RenderMemory } from './render-memory';
import { RepositoryPoller } from './repository-poller';
import { jitteredIntervalMs, type PollOutcome, RepositorySlot } from './repository-slot';
import {
  pollingFingerprint,
  type WatchedRepository,
  watchedRepositories,
} from './watched-repositories';

/** Ref checks are network-bound and cheap; this many at once keeps startup bursts polite. */
const MAX_CONCURRENT_POLLS = 32;
/** Shutdown waits this long for polls in progress, within the service's stop deadline. */
const SHUTDOWN_WAIT_MS = 3_000;

/**
 * Keeps one RepositorySlot (a timer) per watched repository, in step with the registry:
 * a new repository, or one whose registration or applications changed, is polled right
 * away; a removed one is stopped and its applications forgotten.
 */
@Injectable()
export class PollScheduler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(PollScheduler.name);
  private readonly slots = new Map<string, RepositorySlot>();
  private readonly limit = new ConcurrencyLimit(MAX_CONCURRENT_POLLS);
  private refreshQueued = false;
  private stopped = false;
  private markStarted!: () => void;
  /** Resolves once the registry has been read and every repository has its slot. */
  readonly started = new Promise<void>((resolve) => (this.markStarted = resolve));

  constructor(
    private readonly config: PollerConfig,
    private readonly session: PollerSession,
    private readonly poller: RepositoryPoller,
    private readonly memory: RenderMemory,
    private readonly metrics: PollerMetrics,
  ) {}

  onApplicationBootstrap(): void {
    void this.session.opened.then(() => this.start());
  }

  /** Polls the repository `url` names now (after a poll in progress); the same path as the timer. */
  async pollRepository(url: string): Promise<PollOutcome> {
    let key: string;
    try {
      key = normalizeRepositoryUrl(url);
    } catch (error) {
      return { polled: false, reason: (error as Error).message };
    }
    const slot = this.slots.get(key);
    if (!slot) {
      return {
        polled: false,
        reason: `repository ${redactUrl(url)} is neither registered nor used by an application`,
      };
    }
    return slot.pollNow();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    for (const slot of this.slots.values()) slot.stop();
    const inFlight = [...this.slots.values()].map((slot) => slot.inFlight);
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<void>(
      (resolve) => (timer = setTimeout(resolve, SHUTDOWN_WAIT_MS)),
    );
    await Promise.race([Promise.allSettled(inFlight), deadline]);
    clearTimeout(timer);
  }

  private start(): void {
    if (this.stopped) return;
    const { registry } = this.session.current;
    registry.repositories.onChange(() => this.queueRefresh());
    registry.applications.onChange(() => this.queueRefresh());
    this.refresh();
    this.markStarted();
  }

  /** A burst of registry changes (the api syncing at its start) makes one refresh. */
  private queueRefresh(): void {
    if (this.refreshQueued) return;
    this.refreshQueued = true;
    setImmediate(() => {
      this.refreshQueued = false;
      this.refresh();
    });
  }

  private refresh(): void {
    if (this.stopped) return;
    const { registry } = this.session.current;
    const unwatchable: string[] = [];
    const watched = watchedRepositories(
      registry.repositories.values(),
      registry.applications.values(),
      this.config.pollIntervalSeconds,
      ({ kind, name, error }) => {
        unwatchable.push(`${kind} ${name}`);
        this.poller.problems.report(
          `${kind} ${name}`,
          `${kind} ${name} is not polled: ${error.message}`,
          {
            [kind === 'repository' ? 'repositoryId' : 'app']: name,
          },
        );
      },
    );
    for (const [key, slot] of this.slots) {
      if (watched.has(key)) continue;
      slot.stop();
      this.slots.delete(key);
      this.logger.log({
        msg: 'stopped polling repository',
        repository: redactUrl(slot.repository.url),
      });
    }
    for (const repository of watched.values()) {
      const slot = this.slots.get(repository.key);
      const changed =
        !slot || pollingFingerprint(slot.repository) !== pollingFingerprint(repository);
      if (slot) {
        slot.repository = repository;
      } else {
        this.slots.set(repository.key, this.newSlot(repository));
        this.logger.log({
          msg: 'polling repository',
          repository: redactUrl(repository.url),
          intervalSeconds: repository.intervalSeconds,
          apps: repository.apps.map((app) => app.name),
        });
      }
      if (changed) void this.slots.get(repository.key)?.pollNow();
    }
    const appNames = [...watched.values()].flatMap((r) => r.apps.map((app) => app.name));
    this.memory.keepOnly(new Set(appNames));
    this.poller.problems.keepOnly(
      new Set([
        ...unwatchable,
        ...[...watched.keys()].map((key) => `repository ${key}`),
        ...appNames.map((name) => `app ${name}`),
      ]),
    );
    this.metrics.repositories.set(this.slots.size);
  }

  private newSlot(repository: WatchedRepository): RepositorySlot {
    return new RepositorySlot(
      repository,
      (current) => this.limit.run(() => this.poller.poll(current)),
      (current) => jitteredIntervalMs(current.intervalSeconds),
    );
  }
}
