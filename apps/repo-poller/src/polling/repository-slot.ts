import { type Schedule, timerSchedule } from './poll-clock';
import type { WatchedRepository } from './watched-repositories';

/** What a poll of one repository came to; also the answer to a poll request. */
export type PollOutcome = { polled: true; repository: string } | { polled: false; reason: string };

/**
 * One repository's timer. Polls of a repository never overlap: a poll asked for while one
 * runs (a webhook, a refresh) runs right after it, and several such requests share that
 * one poll. The next timed poll is planned when a poll ends, so a slow server is polled
 * less often instead of piling polls up.
 */
export class RepositorySlot {
  private cancelTimer?: () => void;
  private running?: Promise<PollOutcome>;
  private queued?: Promise<PollOutcome>;
  private stopped = false;
  private timed = true;

  constructor(
    /** Replaced when the registration changes; each poll takes the latest. */
    public repository: WatchedRepository,
    private readonly poll: (repository: WatchedRepository) => Promise<PollOutcome>,
    private readonly nextDelayMs: (repository: WatchedRepository) => number,
    private readonly schedule: Schedule = timerSchedule,
  ) {}

  /** Polls as soon as no other poll of this repository runs; resolves with its outcome. */
  pollNow(): Promise<PollOutcome> {
    if (this.queued) return this.queued;
    if (!this.running) return this.start();
    const queued = this.running.then((): Promise<PollOutcome> | PollOutcome => {
      this.queued = undefined;
      if (this.stopped) return { polled: false, reason: 'the repository is no longer watched' };
      return this.start();
    });
    this.queued = queued;
    return queued;
  }

  /** The poll in progress, if any (shutdown waits for it). */
  get inFlight(): Promise<PollOutcome> | undefined {
    return this.running;
  }

  stop(): void {
    this.stopped = true;
    this.cancelTimer?.();
  }

  /**
   * Whether this replica polls the repository on its interval (it owns it). A slot that is
   * not timed still answers pollNow: a webhook may reach any replica.
   */
  setTimed(timed: boolean): void {
    this.timed = timed;
    if (!timed) this.cancelTimer?.();
  }

  private start(): Promise<PollOutcome> {
    this.cancelTimer?.();
    const poll = this.poll(this.repository);
    this.running = poll;
    const settle = () => {
      if (this.running === poll) this.running = undefined;
      this.planNext();
    };
    poll.then(settle, settle);
    return poll;
  }

  private planNext(): void {
    if (this.stopped || this.queued || !this.timed) return;
    this.cancelTimer?.();
    this.cancelTimer = this.schedule(() => void this.pollNow(), this.nextDelayMs(this.repository));
  }
}

/** The interval with ±10% jitter, so repositories registered together do not poll in step. */
export function jitteredIntervalMs(intervalSeconds: number, random = Math.random()): number {
  return Math.round(intervalSeconds * 1000 * (0.9 + 0.2 * random));
}
