import { Topology } from '@cairn/contracts';
import { BundleStore, retainedMessages } from '@cairn/nats';
import { SyncHistoryEntity } from '@cairn/persistence';
import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Not, IsNull, type Repository } from 'typeorm';
import { NatsClient } from '../infrastructure/nats-client';

/** A bundle nothing refers to is kept this long: the repo-poller may just have stored it. */
export const SWEEP_GRACE_MS = 60 * 60_000;
export const SWEEP_INTERVAL_MS = 60 * 60_000;
/** The first sweep after a start: not at once, so a restarting api does no extra work. */
const FIRST_SWEEP_MS = 5 * 60_000;

const DIGEST = /sha256:[0-9a-f]{64}/g;

/**
 * Bundles that history refers to are kept, others are reclaimed: those of history entries
 * trimmed past revisionHistoryLimit at once, any other after a grace period (renders of
 * revisions never synced, of deleted apps). A bundle stays while anything may still deploy
 * or read it: a kept history entry of any app (apps can share a bundle), a desired state
 * the desired stream holds (the newest per app, maybe not synced yet), or a reconciler's
 * sync state (what it last applied and what it would sync next). Rollback commands need
 * no look: they name a kept entry, and while one is queued nothing else runs on the app
 * that could complete a sync and trim that entry.
 */
@Injectable()
export class BundleReclaimer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(BundleReclaimer.name);
  private timer?: NodeJS.Timeout;

  constructor(
    @InjectRepository(SyncHistoryEntity) private readonly history: Repository<SyncHistoryEntity>,
    private readonly bundles: BundleStore,
    private readonly nats: NatsClient,
    private readonly topology: Topology,
  ) {}

  onApplicationBootstrap(): void {
    this.schedule(FIRST_SWEEP_MS);
  }

  onApplicationShutdown(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** The bundles of trimmed history entries that nothing refers to any longer, deleted. */
  async reclaim(trimmed: readonly string[]): Promise<string[]> {
    const candidates = [...new Set(trimmed)];
    if (candidates.length === 0) return [];
    const kept = await this.history.find({
      select: { bundleDigest: true },
      where: { bundleDigest: In(candidates) },
    });
    const inHistory = new Set(kept.map((row) => row.bundleDigest));
    return this.deleteUnreferenced(
      candidates.filter((digest) => !inHistory.has(digest)),
      'trimmed from history',
    );
  }

  /** Every stored bundle older than `graceMs` that nothing refers to, deleted. */
  async sweep(graceMs = SWEEP_GRACE_MS): Promise<string[]> {
    const before = Date.now() - graceMs;
    const old = (await this.bundles.list())
      .filter((stored) => stored.storedAt.getTime() <= before)
      .map((stored) => stored.digest);
    if (old.length === 0) return [];
    const kept = await this.history.find({
      select: { bundleDigest: true },
      where: { bundleDigest: Not(IsNull()) },
    });
    const inHistory = new Set(kept.map((row) => row.bundleDigest));
    return this.deleteUnreferenced(
      old.filter((digest) => !inHistory.has(digest)),
      'referred to by nothing',
    );
  }

  private async deleteUnreferenced(candidates: string[], why: string): Promise<string[]> {
    if (candidates.length === 0) return [];
    const named = await this.namedOnNats();
    const reclaimed = candidates.filter((digest) => !named.has(digest));
    for (const digest of reclaimed) await this.bundles.delete(digest);
    if (reclaimed.length > 0) this.logger.log({ msg: 'bundles reclaimed', why, reclaimed });
    return reclaimed;
  }

  /**
   * Every digest in a held desired state or sync state. Read as text, not through their
   * schemas: the reconciler owns the sync state's, and a field it adds must still count.
   */
  private async namedOnNats(): Promise<Set<string>> {
    const named = new Set<string>();
    const decoder = new TextDecoder();
    const streams = [
      this.topology.streams.desired(),
      // The stream behind a KV bucket is KV_<bucket>; the reconcilers create this one.
      `KV_${this.topology.buckets.syncState()}`,
    ];
    for (const stream of streams) {
      for await (const data of retainedMessages(this.nats.connection, stream)) {
        for (const [digest] of decoder.decode(data).matchAll(DIGEST)) named.add(digest);
      }
    }
    return named;
  }

  private schedule(delayMs: number): void {
    this.timer = setTimeout(async () => {
      try {
        await this.sweep();
      } catch (error) {
        this.logger.warn({ msg: 'bundle sweep failed; the next one retries', err: error });
      }
      if (this.timer) this.schedule(SWEEP_INTERVAL_MS);
    }, delayMs);
    this.timer.unref();
  }
}
