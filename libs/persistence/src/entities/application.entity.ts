import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  UpdateDateColumn,
} from 'typeorm';
import { ClusterEntity } from './cluster.entity';

/** An application (POST /api/v1/applications): Argo CD's spec and status shapes, kept as JSON. */
@Entity({ name: 'applications' })
export class ApplicationEntity {
  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'applications_pkey' })
  name!: string;

  /** metadata.labels: what bulk operations and list filters select applications by. */
  @Column({ type: 'jsonb', default: () => "'{}'" })
  labels!: Record<string, string>;

  /** {source, destination, syncPolicy}, validated by @cairn/contracts before it gets here. */
  @Column({ type: 'jsonb' })
  spec!: Record<string, unknown>;

  /**
   * The registered cluster spec.destination resolved to when the spec was stored. A foreign
   * key, so a cluster that applications deploy to cannot be deleted from under them.
   */
  @Index('applications_cluster_idx')
  @Column({ type: 'text' })
  cluster!: string;

  @ManyToOne(() => ClusterEntity, { onDelete: 'RESTRICT', nullable: false })
  @JoinColumn({ name: 'cluster', foreignKeyConstraintName: 'applications_cluster_fkey' })
  destinationCluster?: ClusterEntity;

  /** The latest AppStatus the reconciler reported; null until first reconciled. */
  @Column({ type: 'jsonb', nullable: true })
  status!: Record<string, unknown> | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
