import type { z } from 'zod';
import { badRequest, type Problem } from './api-errors';

/**
 * Validates a request body (or query) against its schema; a 400 names every bad field.
 * A missing field reads `Required`, as Argo CD users know it; fields whose schema has a
 * message of its own keep it.
 */
export function parseRequest<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input, {
    error: (issue) => (issue.input === undefined ? 'Required' : undefined),
  });
  if (result.success) return result.data;
  throw badRequest(
    result.error.issues.map((issue): Problem => ({
      path: formatPath(issue.path) || 'body',
      reason: issue.message,
    })),
  );
}

/** `spec.syncPolicy.syncOptions[0]` */
export function formatPath(path: readonly PropertyKey[]): string {
  return path
    .map((key, i) => (typeof key === 'number' ? `[${key}]` : `${i === 0 ? '' : '.'}${String(key)}`))
    .join('');
}
