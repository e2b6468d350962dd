import { Check, Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** `direct`: Cairn holds credentials and connects; `agent`: a reconciler runs inside the cluster. */
export type ClusterMode = 'direct' | 'agent';

/** A Kubernetes cluster applications deploy to (POST /api/v1/clusters). */
@Entity({ name: 'clusters' })
@Check('clusters_mode_check', `"mode" IN ('direct', 'agent')`)
export class ClusterEntity {
  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'clusters_pkey' })
  name!: string;

  /** API server URL; absent for an agent cluster that never told us. */
  @Column({ type: 'text', nullable: true })
  server!: string | null;

  @Column({ type: 'text' })
  mode!: ClusterMode;

  /** Encrypted at rest (token, client certificate or kubeconfig); none in agent mode. */
  @Column({ name: 'credentials_ciphertext', type: 'bytea', nullable: true })
  credentialsCiphertext!: Buffer | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
