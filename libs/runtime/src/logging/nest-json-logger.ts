import type { LoggerService } from '@nestjs/common';
import type { Level, Logger } from 'pino';

/**
 * Routes Nest's own logs, and every `new Logger(Context)` in Cairn code, to the JSON logger.
 * Nest passes the context as the last string argument and, for errors, a stack trace
 * before it. Structured fields go in an object message:
 * `logger.log({ msg: 'applied', app, cluster, revision })`.
 */
export class NestJsonLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, ...params: unknown[]): void {
    this.write('info', message, params, false);
  }

  error(message: unknown, ...params: unknown[]): void {
    this.write('error', message, params, true);
  }

  warn(message: unknown, ...params: unknown[]): void {
    this.write('warn', message, params, false);
  }

  debug(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, params, false);
  }

  verbose(message: unknown, ...params: unknown[]): void {
    this.write('trace', message, params, false);
  }

  fatal(message: unknown, ...params: unknown[]): void {
    this.write('fatal', message, params, true);
  }

  private write(level: Level, message: unknown, params: unknown[], takesStack: boolean): void {
    const rest = [...params];
    const fields: Record<string, unknown> = {};
    if (rest.length > 0 && typeof rest[rest.length - 1] === 'string') fields.context = rest.pop();
    if (takesStack && rest.length === 1 && (typeof rest[0] === 'string' || rest[0] === undefined)) {
      const stack = rest.pop();
      if (stack) fields.stack = stack;
    }
    if (rest.length > 0) fields.details = rest;

    let msg: string;
    if (message instanceof Error) {
      fields.err = message;
      msg = message.message;
    } else if (typeof message === 'object' && message !== null && !Array.isArray(message)) {
      const { msg: text, message: altText, ...own } = message as Record<string, unknown>;
      Object.assign(fields, own);
      msg = String(text ?? altText ?? '');
    } else {
      msg = String(message);
    }
    this.logger[level](fields, msg);
  }
}
