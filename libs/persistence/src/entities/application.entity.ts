import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** An application (POST /api/v1/applications): Argo CD's spec and status shapes, kept as JSON. */
@Entity({ name: 'applications' })
export class ApplicationEntity {
  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'applications_pkey' })
  name!: string;

  /** {source, destination, syncPolicy}, validated by @cairn/contracts before it gets here. */
  @Column({ type: 'jsonb' })
  spec!: Record<string, unknown>;

  /** {sync, health, operationState, resources, history, reconciledAt}; null until first reconciled. */
  @Column({ type: 'jsonb', nullable: true })
  status!: Record<string, unknown> | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
