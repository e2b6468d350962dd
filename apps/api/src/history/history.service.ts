import type { AppEvent, ApplicationSpec } from '@cairn/contracts';
import {
  AppEventEntity,
  ApplicationEntity,
  ApplicationOperationEntity,
  SyncHistoryEntity,
} from '@cairn/persistence';
import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, LessThan, type Repository } from 'typeorm';
import { BundleReclaimer } from './bundle-reclaimer';

/** Argo CD's default revisionHistoryLimit. */
export const DEFAULT_HISTORY_LIMIT = 10;

/** Who started a sync that no user asked for: a new desired state, or self-heal. */
export const AUTOMATED = 'automated';

const COMPLETED: Partial<Record<AppEvent['type'], string>> = {
  SyncSucceeded: 'Succeeded',
  SyncFailed: 'Failed',
};

/**
 * Every completed sync of an application, from the SyncSucceeded or SyncFailed event that
 * ended it; the newest `spec.revisionHistoryLimit` (default 10) are kept, and the bundles
 * of those trimmed are reclaimed unless something else still refers to them.
 */
@Injectable()
export class HistoryService {
  private readonly logger = new Logger(HistoryService.name);

  constructor(
    private readonly dataSource: DataSource,
    @InjectRepository(SyncHistoryEntity) private readonly rows: Repository<SyncHistoryEntity>,
    private readonly reclaimer: BundleReclaimer,
  ) {}

  /** Records the sync an event completed, once per stream sequence; other events are ignored. */
  async record(event: AppEvent, seq: number): Promise<void> {
    const result = COMPLETED[event.type];
    // A dry run deployed nothing: it is no revision to roll back to.
    if (result === undefined || event.revision === undefined || event.reason === 'DryRun') return;
    const revision = event.revision;
    const trimmed = await this.dataSource.transaction(async (manager): Promise<string[]> => {
      const application = await manager.findOne(ApplicationEntity, {
        where: { name: event.app, cluster: event.cluster },
        // One recorder at a time per app: ids stay dense and unique.
        lock: { mode: 'pessimistic_write' },
      });
      if (!application) return [];
      if (await manager.existsBy(SyncHistoryEntity, { eventSeq: String(seq) })) return [];
      const last = await manager.findOne(SyncHistoryEntity, {
        where: { app: event.app },
        order: { id: 'DESC' },
      });
      const finishedAt = new Date(event.time);
      const started = await manager.findOne(AppEventEntity, {
        where: { app: event.app, type: 'SyncStarted', seq: LessThan(String(seq)) },
        order: { seq: 'DESC' },
      });
      const operation = await manager.findOneBy(ApplicationOperationEntity, { app: event.app });
      const requested = operation?.lastOperation;
      // A user's operation is credited to the first sync that completes after it was asked.
      const byUser =
        requested !== undefined &&
        requested !== null &&
        new Date(requested.requestedAt) <= finishedAt &&
        (last === null || new Date(requested.requestedAt) > last.finishedAt);
      const id = (last?.id ?? 0) + 1;
      await manager.insert(SyncHistoryEntity, {
        app: event.app,
        id,
        eventSeq: String(seq),
        revision,
        bundleDigest: event.bundleDigest ?? null,
        startedAt: started && started.time <= finishedAt ? started.time : null,
        finishedAt,
        initiatedBy: byUser ? requested.initiatedBy : AUTOMATED,
        result,
        message: event.message || null,
      });
      const limit =
        (application.spec as Partial<ApplicationSpec>).revisionHistoryLimit ??
        DEFAULT_HISTORY_LIMIT;
      const past = { app: event.app, id: LessThan(id - limit + 1) };
      const dropped = await manager.find(SyncHistoryEntity, { where: past });
      await manager.delete(SyncHistoryEntity, past);
      this.logger.log({ msg: 'sync recorded in history', app: event.app, id, revision, result });
      return dropped.flatMap((row) => (row.bundleDigest === null ? [] : [row.bundleDigest]));
    });
    await this.reclaim(event.app, trimmed);
  }

  /** Never fails the recording: a bundle left behind costs space, not correctness. */
  private async reclaim(app: string, trimmed: string[]): Promise<void> {
    try {
      await this.reclaimer.reclaim(trimmed);
    } catch (error) {
      this.logger.warn({ msg: 'bundles of trimmed history not reclaimed', app, err: error });
    }
  }

  /** Newest first, as Argo CD lists it. */
  list(app: string): Promise<SyncHistoryEntity[]> {
    return this.rows.find({ where: { app }, order: { id: 'DESC' } });
  }

  /** Every application's, newest first. */
  all(): Promise<SyncHistoryEntity[]> {
    return this.rows.find({ order: { app: 'ASC', id: 'DESC' } });
  }

  entry(app: string, id: number): Promise<SyncHistoryEntity | null> {
    return this.rows.findOneBy({ app, id });
  }

  async forget(app: string): Promise<void> {
    await this.rows.delete({ app });
  }
}
