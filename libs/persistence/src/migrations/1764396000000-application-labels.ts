import type { MigrationInterface, QueryRunner } from 'typeorm';
import { tableIn } from './table-name';

/** applications.labels: metadata.labels, which label selectors of bulk operations match. */
export class ApplicationLabels1764396000000 implements MigrationInterface {
  name = 'ApplicationLabels1764396000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE ${tableIn(queryRunner)('applications')} ADD "labels" jsonb NOT NULL DEFAULT '{}'::jsonb`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE ${tableIn(queryRunner)('applications')} DROP COLUMN "labels"`,
    );
  }
}
