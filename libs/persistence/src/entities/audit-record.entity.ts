import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** One mutating API call: who did what, when, and how it ended (GET /applications/{name}/audit). */
@Entity({ name: 'audit_records' })
@Index('audit_records_app_id_idx', ['app', 'id'])
export class AuditRecordEntity {
  @PrimaryGeneratedColumn('increment', {
    type: 'bigint',
    primaryKeyConstraintName: 'audit_records_pkey',
  })
  id!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  at!: Date;

  @Column({ type: 'text' })
  actor!: string;

  /** `POST /api/v1/applications/guestbook/sync` */
  @Column({ type: 'text' })
  action!: string;

  /** The application it concerns, when it concerns one. */
  @Column({ type: 'text', nullable: true })
  app!: string | null;

  /** The HTTP status it was answered with. */
  @Column({ type: 'integer' })
  outcome!: number;

  @Column({ type: 'text', nullable: true })
  message!: string | null;
}
