import { Column, Entity, PrimaryColumn, Unique } from 'typeorm';

/**
 * One completed sync of an application (GET /applications/{name}/history), from the
 * SyncSucceeded or SyncFailed event that ended it. `id` counts per application, as Argo
 * CD's history ids do; a rollback names the entry by it. The event's stream sequence is
 * unique, so a redelivered event records nothing twice.
 */
@Entity({ name: 'sync_history' })
@Unique('sync_history_event_seq_key', ['eventSeq'])
export class SyncHistoryEntity {
  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'sync_history_pkey' })
  app!: string;

  @PrimaryColumn({ type: 'integer', primaryKeyConstraintName: 'sync_history_pkey' })
  id!: number;

  @Column({ name: 'event_seq', type: 'bigint' })
  eventSeq!: string;

  @Column({ type: 'text' })
  revision!: string;

  /** What was deployed, exactly; a rollback redeploys it. Null when the event did not say. */
  @Column({ name: 'bundle_digest', type: 'text', nullable: true })
  bundleDigest!: string | null;

  @Column({ name: 'started_at', type: 'timestamptz', nullable: true })
  startedAt!: Date | null;

  @Column({ name: 'finished_at', type: 'timestamptz' })
  finishedAt!: Date;

  /** A user name, or "automated" when a new desired state started it. */
  @Column({ name: 'initiated_by', type: 'text' })
  initiatedBy!: string;

  /** Succeeded or Failed. */
  @Column({ type: 'text' })
  result!: string;

  @Column({ type: 'text', nullable: true })
  message!: string | null;
}
