import { QueryFailedError } from 'typeorm';

/** PostgreSQL error codes the api turns into 409s rather than 500s. */
const UNIQUE_VIOLATION = '23505';
const FOREIGN_KEY_VIOLATION = '23503';

function code(error: unknown): string | undefined {
  if (!(error instanceof QueryFailedError)) return undefined;
  return (error.driverError as { code?: string } | undefined)?.code;
}

export function isUniqueViolation(error: unknown): boolean {
  return code(error) === UNIQUE_VIOLATION;
}

export function isForeignKeyViolation(error: unknown): boolean {
  return code(error) === FOREIGN_KEY_VIOLATION;
}
