import { setTimeout as sleep } from 'node:timers/promises';
import type { AppStatus, HealthState, ResourceRef } from '@cairn/contracts';
import type { ClusterClient } from '@cairn/kube';
import type { Logger } from '@nestjs/common';
import type { EventLog } from '../status/event-log';
import type { StatusBoard } from '../status/status-board';
import { assessResources, withHealth } from './assess-resources';

/** Fast while a rollout is likely under way, then slower, then give up: a poll, not a watch. */
export interface HealthSchedule {
  fastIntervalMs: number;
  fastForMs: number;
  slowIntervalMs: number;
  giveUpAfterMs: number;
}

export const HEALTH_SCHEDULE: HealthSchedule = {
  fastIntervalMs: 500,
  fastForMs: 30_000,
  slowIntervalMs: 5_000,
  giveUpAfterMs: 10 * 60_000,
};

/**
 * Follows an app's health after a sync by re-reading its objects until they are Healthy,
 * publishing the status (and a HealthChanged event) whenever health changes. It owns
 * nothing else of the status. A watch-based live cache will replace this class; until
 * then, this is the only place that knows how health is followed.
 */
export class HealthMonitor {
  private readonly running = new Map<string, AbortController>();

  constructor(
    private readonly client: ClusterClient,
    private readonly board: StatusBoard,
    private readonly events: EventLog,
    private readonly logger: Logger,
    private readonly schedule: HealthSchedule = HEALTH_SCHEDULE,
  ) {}

  /** Follows these resources of the app from now on, replacing any earlier follow-up. */
  watch(app: string, refs: readonly ResourceRef[]): void {
    this.stop(app);
    const controller = new AbortController();
    this.running.set(app, controller);
    void this.follow(app, refs, controller.signal)
      .catch((error: unknown) =>
        this.logger.warn({ msg: 'health follow-up stopped', app, error: String(error) }),
      )
      .finally(() => {
        if (this.running.get(app) === controller) this.running.delete(app);
      });
  }

  stop(app: string): void {
    this.running.get(app)?.abort();
    this.running.delete(app);
  }

  stopAll(): void {
    for (const app of [...this.running.keys()]) this.stop(app);
  }

  /** Assesses once and publishes what changed; returns the app's health. */
  async refresh(
    app: string,
    refs: readonly ResourceRef[],
    signal?: AbortSignal,
  ): Promise<HealthState> {
    const assessed = await assessResources(this.client, refs);
    if (signal?.aborted) return assessed.health;
    const before = await this.board.current(app);
    const resources = withHealth(before.resources, assessed);
    if (sameHealth(before, { health: assessed.health, resources })) return assessed.health;
    const after = await this.board.update(app, (status) => ({
      health: assessed.health,
      resources: withHealth(status.resources, assessed),
    }));
    await announceHealthChange(this.events, before, after);
    return assessed.health;
  }

  private async follow(app: string, refs: readonly ResourceRef[], signal: AbortSignal) {
    const started = Date.now();
    for (;;) {
      const health = await this.refresh(app, refs, signal);
      if (health.status === 'Healthy' || signal.aborted) return;
      const elapsed = Date.now() - started;
      if (elapsed >= this.schedule.giveUpAfterMs) {
        this.logger.warn({ msg: 'app not healthy in time; health follow-up ends', app, health });
        return;
      }
      const interval =
        elapsed < this.schedule.fastForMs
          ? this.schedule.fastIntervalMs
          : this.schedule.slowIntervalMs;
      try {
        await sleep(interval, undefined, { signal });
      } catch {
        return; // stopped
      }
    }
  }
}

/** A HealthChanged event when the app's health status differs between two statuses. */
export async function announceHealthChange(
  events: EventLog,
  before: AppStatus,
  after: AppStatus,
): Promise<void> {
  if (before.health.status === after.health.status) return;
  const { status, message } = after.health;
  await events.emit(
    after.app,
    'HealthChanged',
    `health changed from ${before.health.status} to ${status}${message ? `: ${message}` : ''}`,
    { health: after.health, revision: after.sync.revision },
  );
}

function sameHealth(
  a: Pick<AppStatus, 'health' | 'resources'>,
  b: Pick<AppStatus, 'health' | 'resources'>,
) {
  const shape = (s: Pick<AppStatus, 'health' | 'resources'>) =>
    JSON.stringify([s.health, s.resources.map((r) => r.health)]);
  return shape(a) === shape(b);
}
