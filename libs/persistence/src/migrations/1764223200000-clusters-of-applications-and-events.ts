import type { MigrationInterface, QueryRunner } from 'typeorm';
import { tableIn } from './table-name';

/**
 * What the api needs beyond the initial registrations:
 * - repositories keep the URL as registered (fetched from) apart from its normalized form
 *   (its identity), and poll every 15 s by default, as the design says;
 * - applications record the cluster their destination resolved to, as a foreign key;
 * - app_events keeps what the reconcilers reported, keyed by stream sequence.
 */
export class ClustersOfApplicationsAndEvents1764223200000 implements MigrationInterface {
  name = 'ClustersOfApplicationsAndEvents1764223200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const table = tableIn(queryRunner);
    const repositories = table('repositories');
    await queryRunner.query(
      `ALTER TABLE ${repositories} ALTER COLUMN "poll_interval_seconds" SET DEFAULT 15`,
    );
    await queryRunner.query(`ALTER TABLE ${repositories} ADD COLUMN "url_normalized" text`);
    // Until now "url" held the normalized form, so it is the identity of existing rows.
    await queryRunner.query(`UPDATE ${repositories} SET "url_normalized" = "url"`);
    await queryRunner.query(
      `ALTER TABLE ${repositories} ALTER COLUMN "url_normalized" SET NOT NULL`,
    );
    await queryRunner.query(`ALTER TABLE ${repositories} DROP CONSTRAINT "repositories_url_key"`);
    await queryRunner.query(
      `ALTER TABLE ${repositories} ADD CONSTRAINT "repositories_url_normalized_key" UNIQUE ("url_normalized")`,
    );

    const applications = table('applications');
    const clusters = table('clusters');
    await queryRunner.query(`ALTER TABLE ${applications} ADD COLUMN "cluster" text`);
    await queryRunner.query(
      `UPDATE ${applications} AS a SET "cluster" = c."name" FROM ${clusters} AS c
       WHERE c."name" = a."spec"->'destination'->>'name'
          OR c."server" = a."spec"->'destination'->>'server'`,
    );
    // An application whose destination names no registered cluster fails this step, loudly:
    // register its cluster (or delete it) and run the migration again.
    await queryRunner.query(`ALTER TABLE ${applications} ALTER COLUMN "cluster" SET NOT NULL`);
    await queryRunner.query(
      `ALTER TABLE ${applications} ADD CONSTRAINT "applications_cluster_fkey"
       FOREIGN KEY ("cluster") REFERENCES ${clusters}("name") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `CREATE INDEX "applications_cluster_idx" ON ${applications} ("cluster")`,
    );

    await queryRunner.query(`
      CREATE TABLE ${table('app_events')} (
        "seq" bigint NOT NULL,
        "app" text NOT NULL,
        "cluster" text NOT NULL,
        "type" text NOT NULL,
        "time" timestamptz NOT NULL,
        "event" jsonb NOT NULL,
        CONSTRAINT "app_events_pkey" PRIMARY KEY ("seq")
      )`);
    await queryRunner.query(
      `CREATE INDEX "app_events_app_seq_idx" ON ${table('app_events')} ("app", "seq")`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const table = tableIn(queryRunner);
    const repositories = table('repositories');
    const applications = table('applications');
    await queryRunner.query(`DROP TABLE ${table('app_events')}`);
    await queryRunner.query(`DROP INDEX ${table('applications_cluster_idx')}`);
    await queryRunner.query(
      `ALTER TABLE ${applications} DROP CONSTRAINT "applications_cluster_fkey"`,
    );
    await queryRunner.query(`ALTER TABLE ${applications} DROP COLUMN "cluster"`);
    await queryRunner.query(
      `ALTER TABLE ${repositories} DROP CONSTRAINT "repositories_url_normalized_key"`,
    );
    // Back to one column: the normalized form, which the previous schema kept in "url".
    await queryRunner.query(`UPDATE ${repositories} SET "url" = "url_normalized"`);
    await queryRunner.query(`ALTER TABLE ${repositories} DROP COLUMN "url_normalized"`);
    await queryRunner.query(
      `ALTER TABLE ${repositories} ADD CONSTRAINT "repositories_url_key" UNIQUE ("url")`,
    );
    await queryRunner.query(
      `ALTER TABLE ${repositories} ALTER COLUMN "poll_interval_seconds" SET DEFAULT 180`,
    );
  }
}
