import {
  BadRequestException,
  ConflictException,
  NotFoundException,
  ServiceUnavailableException,
} from '@nestjs/common';

/** One thing wrong with a request: where (`spec.destination.name`, `url`) and why. */
export interface Problem {
  path: string;
  reason: string;
}

/**
 * Every 4xx names what to fix. A 400 lists each problem, and its message joins them as
 * `path: reason`, so a client that shows only the message still shows the field.
 */
export function badRequest(problems: Problem[]): BadRequestException {
  const message = problems.map((p) => (p.path ? `${p.path}: ${p.reason}` : p.reason)).join('; ');
  return new BadRequestException({ statusCode: 400, error: 'Bad Request', message, problems });
}

export function notFound(message: string): NotFoundException {
  return new NotFoundException({ statusCode: 404, error: 'Not Found', message });
}

export function conflict(message: string): ConflictException {
  return new ConflictException({ statusCode: 409, error: 'Conflict', message });
}

export function unavailable(message: string): ServiceUnavailableException {
  return new ServiceUnavailableException({
    statusCode: 503,
    error: 'Service Unavailable',
    message,
  });
}

/** `"a", "b" and "c"`: names in a message, quoted, at most a handful. */
export function listNames(names: string[], max = 10): string {
  const quoted = names.slice(0, max).map((name) => JSON.stringify(name));
  if (names.length > max) quoted.push(`${names.length - max} more`);
  return quoted.length > 1
    ? `${quoted.slice(0, -1).join(', ')} and ${quoted[quoted.length - 1]}`
    : (quoted[0] ?? '');
}
