import type { MigrationInterface, QueryRunner } from 'typeorm';
import { tableIn } from './table-name';

/**
 * Operations: sync_history keeps each application's completed syncs (what a rollback
 * redeploys), application_operations the api's own view of operations (the one running,
 * a rollback in force), audit_records every mutating API call.
 */
export class HistoryOperationsAndAudit1764309600000 implements MigrationInterface {
  name = 'HistoryOperationsAndAudit1764309600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const table = tableIn(queryRunner);
    await queryRunner.query(`
      CREATE TABLE ${table('sync_history')} (
        "app" text NOT NULL,
        "id" integer NOT NULL,
        "event_seq" bigint NOT NULL,
        "revision" text NOT NULL,
        "bundle_digest" text,
        "started_at" timestamptz,
        "finished_at" timestamptz NOT NULL,
        "initiated_by" text NOT NULL,
        "result" text NOT NULL,
        "message" text,
        CONSTRAINT "sync_history_event_seq_key" UNIQUE ("event_seq"),
        CONSTRAINT "sync_history_pkey" PRIMARY KEY ("app", "id")
      )`);
    await queryRunner.query(`
      CREATE TABLE ${table('application_operations')} (
        "app" text NOT NULL,
        "last_operation" jsonb,
        "rolled_back" jsonb,
        CONSTRAINT "application_operations_pkey" PRIMARY KEY ("app")
      )`);
    await queryRunner.query(`
      CREATE TABLE ${table('audit_records')} (
        "id" BIGSERIAL NOT NULL,
        "at" timestamptz NOT NULL DEFAULT now(),
        "actor" text NOT NULL,
        "action" text NOT NULL,
        "app" text,
        "outcome" integer NOT NULL,
        "message" text,
        CONSTRAINT "audit_records_pkey" PRIMARY KEY ("id")
      )`);
    await queryRunner.query(
      `CREATE INDEX "audit_records_app_id_idx" ON ${table('audit_records')} ("app", "id")`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const table = tableIn(queryRunner);
    await queryRunner.query(`DROP TABLE ${table('audit_records')}`);
    await queryRunner.query(`DROP TABLE ${table('application_operations')}`);
    await queryRunner.query(`DROP TABLE ${table('sync_history')}`);
  }
}
