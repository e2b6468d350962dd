import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * One AppEvent from the events stream, kept for GET /applications/{name}/events. Keyed by
 * its JetStream stream sequence, which is also its public id: storing a redelivered event
 * again is a no-op.
 */
@Entity({ name: 'app_events' })
@Index('app_events_app_seq_idx', ['app', 'seq'])
export class AppEventEntity {
  /** bigint: pg returns it as a string, which keeps every sequence exact. */
  @PrimaryColumn({ type: 'bigint', primaryKeyConstraintName: 'app_events_pkey' })
  seq!: string;

  @Column({ type: 'text' })
  app!: string;

  @Column({ type: 'text' })
  cluster!: string;

  @Column({ type: 'text' })
  type!: string;

  @Column({ type: 'timestamptz' })
  time!: Date;

  /** The whole validated AppEvent, as received. */
  @Column({ type: 'jsonb' })
  event!: Record<string, unknown>;
}
