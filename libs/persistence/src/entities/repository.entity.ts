import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, Unique } from 'typeorm';

/** A git repository Cairn polls (POST /api/v1/repositories). */
@Entity({ name: 'repositories' })
@Unique('repositories_url_key', ['url'])
export class RepositoryEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'repositories_pkey' })
  id!: string;

  /** Normalized (see @cairn/git normalizeRepositoryUrl) so one repository is registered once. */
  @Column({ type: 'text' })
  url!: string;

  @Column({ type: 'text', nullable: true })
  username!: string | null;

  /** Encrypted at rest; never returned by the API. */
  @Column({ name: 'password_ciphertext', type: 'bytea', nullable: true })
  passwordCiphertext!: Buffer | null;

  @Column({ name: 'poll_interval_seconds', type: 'integer', default: 180 })
  pollIntervalSeconds!: number;

  /** Encrypted at rest; checks the HMAC of webhook deliveries. */
  @Column({ name: 'webhook_secret_ciphertext', type: 'bytea', nullable: true })
  webhookSecretCiphertext!: Buffer | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
