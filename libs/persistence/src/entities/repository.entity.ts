import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, Unique } from 'typeorm';

/** A git repository Cairn polls (POST /api/v1/repositories). */
@Entity({ name: 'repositories' })
@Unique('repositories_url_normalized_key', ['urlNormalized'])
export class RepositoryEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'repositories_pkey' })
  id!: string;

  /** As the user registered it: what the repo-poller fetches from. */
  @Column({ type: 'text' })
  url!: string;

  /**
   * The repository's identity (see @cairn/git normalizeRepositoryUrl): two spellings of one
   * repository are registered once, and applications find their repository by it.
   */
  @Column({ name: 'url_normalized', type: 'text' })
  urlNormalized!: string;

  @Column({ type: 'text', nullable: true })
  username!: string | null;

  /** Encrypted at rest; never returned by the API. */
  @Column({ name: 'password_ciphertext', type: 'bytea', nullable: true })
  passwordCiphertext!: Buffer | null;

  @Column({ name: 'poll_interval_seconds', type: 'integer', default: 15 })
  pollIntervalSeconds!: number;

  /** Encrypted at rest; checks the HMAC of webhook deliveries. */
  @Column({ name: 'webhook_secret_ciphertext', type: 'bytea', nullable: true })
  webhookSecretCiphertext!: Buffer | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
