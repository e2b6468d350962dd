import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Registrations: repositories, clusters, applications. Hand-written SQL so that what runs in
 * production is what was reviewed; the integration test checks the entities agree with it.
 */
export class InitialSchema1764136800000 implements MigrationInterface {
  name = 'InitialSchema1764136800000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const table = tableIn(queryRunner);
    await queryRunner.query(`
      CREATE TABLE ${table('repositories')} (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "url" text NOT NULL,
        "username" text,
        "password_ciphertext" bytea,
        "poll_interval_seconds" integer NOT NULL DEFAULT 180,
        "webhook_secret_ciphertext" bytea,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "repositories_pkey" PRIMARY KEY ("id"),
        CONSTRAINT "repositories_url_key" UNIQUE ("url")
      )`);
    await queryRunner.query(`
      CREATE TABLE ${table('clusters')} (
        "name" text NOT NULL,
        "server" text,
        "mode" text NOT NULL,
        "credentials_ciphertext" bytea,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "clusters_pkey" PRIMARY KEY ("name"),
        CONSTRAINT "clusters_mode_check" CHECK ("mode" IN ('direct', 'agent'))
      )`);
    await queryRunner.query(`
      CREATE TABLE ${table('applications')} (
        "name" text NOT NULL,
        "spec" jsonb NOT NULL,
        "status" jsonb,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "applications_pkey" PRIMARY KEY ("name")
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const table = tableIn(queryRunner);
    await queryRunner.query(`DROP TABLE ${table('applications')}`);
    await queryRunner.query(`DROP TABLE ${table('clusters')}`);
    await queryRunner.query(`DROP TABLE ${table('repositories')}`);
  }
}

/** Tables go to the DataSource's schema when one is configured, else to the search_path. */
function tableIn(queryRunner: QueryRunner): (name: string) => string {
  const schema = (queryRunner.connection.options as { schema?: string }).schema;
  const quote = (identifier: string) => `"${identifier.replace(/"/g, '""')}"`;
  return (name) => (schema ? `${quote(schema)}.${quote(name)}` : quote(name));
}
