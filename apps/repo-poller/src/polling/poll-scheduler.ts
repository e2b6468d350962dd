import { normalizeRepositoryUrl, redactUrl } from '@cairn/git';
import { ownerOf } from '@cairn/replicas';
import {
  type BeforeApplicationShutdown,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { PollerConfig } from '../config/poller-config';
import { PollerSession } from '../nats/poller-session';
import { PollerMembers } from '../replicas/poller-members';
import { ConcurrencyLimit } from './concurrency-limit';
import { PollClock } from './poll-clock';
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
 * Keeps one RepositorySlot (a timer) per watched repository, in step with the registry and
 * the live replicas: each repository is polled on its interval by one replica only, the one
 * rendezvous hashing of its normalized URL over the live members names. A repository that is
 * new, changed, or just handed to this replica is polled right away; a removed one is
 * stopped and its applications forgotten.
 */
@Injectable()
export class PollScheduler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(PollScheduler.name);
  private readonly slots = new Map<string, RepositorySlot>();
  /** Keys of the repositories this replica polls on their interval. */
  private readonly owned = new Set<string>();
  private readonly limit = new ConcurrencyLimit(MAX_CONCURRENT_POLLS);
  private readonly clock = new PollClock();
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
    private readonly members: PollerMembers,
  ) {}

  onApplicationBootstrap(): void {
    // After joining, so that this replica knows the others before it takes repositories.
    void Promise.all([this.session.opened, this.members.joined]).then(() => this.start());
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
    this.clock.stop();
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
    this.members.onChange(() => this.queueRefresh());
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
      this.owned.delete(key);
      this.logger.log({
        msg: 'stopped polling repository',
        repository: redactUrl(slot.repository.url),
      });
    }
    const members = this.members.live();
    let gained = 0;
    let lost = 0;
    for (const repository of watched.values()) {
      let slot = this.slots.get(repository.key);
      const changed =
        !slot || pollingFingerprint(slot.repository) !== pollingFingerprint(repository);
      const mine = ownerOf(repository.key, members) === this.members.self;
      if (slot) {
        slot.repository = repository;
      } else {
        slot = this.newSlot(repository);
        this.slots.set(repository.key, slot);
        this.logger.log({
          msg: mine ? 'polling repository' : 'watching repository, polled by another replica',
          repository: redactUrl(repository.url),
          intervalSeconds: repository.intervalSeconds,
          apps: repository.apps.map((app) => app.name),
        });
      }
      const handedOver = this.owned.has(repository.key) !== mine;
      if (mine) this.owned.add(repository.key);
      else this.owned.delete(repository.key);
      slot.setTimed(mine);
      if (handedOver && !changed) {
        // What this replica remembers may be stale; the desired stream has what was published.
        this.memory.forget(repository.apps);
        if (mine) gained++;
        else lost++;
      }
      if (mine && (changed || handedOver)) void slot.pollNow();
    }
    if (gained + lost > 0)
      this.logger.log({ msg: 'repositories handed over', replicas: members.length, gained, lost });
    const appNames = [...watched.values()].flatMap((r) => r.apps.map((app) => app.name));
    this.memory.keepOnly(new Set(appNames));
    this.poller.problems.keepOnly(
      new Set([
        ...unwatchable,
        ...[...watched.keys()].map((key) => `repository ${key}`),
        ...appNames.map((name) => `app ${name}`),
      ]),
    );
    this.metrics.repositories.set(this.owned.size);
    this.metrics.members.set(members.length);
  }

  private newSlot(repository: WatchedRepository): RepositorySlot {
    return new RepositorySlot(
      repository,
      (current) => this.limit.run(() => this.poller.poll(current)),
      (current) => jitteredIntervalMs(current.intervalSeconds),
      this.clock.schedule,
    );
  }
}
