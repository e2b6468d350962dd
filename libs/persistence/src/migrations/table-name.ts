import type { QueryRunner } from 'typeorm';

/** Tables go to the DataSource's schema when one is configured, else to the search_path. */
export function tableIn(queryRunner: QueryRunner): (name: string) => string {
  const schema = (queryRunner.connection.options as { schema?: string }).schema;
  const quote = (identifier: string) => `"${identifier.replace(/"/g, '""')}"`;
  return (name) => (schema ? `${quote(schema)}.${quote(name)}` : quote(name));
}
