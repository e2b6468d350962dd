import type { LoggerService } from '@nestjs/common';

/** Every log line a service under test writes, as text, to check what it says and never says. */
export class CapturedLogs implements LoggerService {
  readonly lines: string[] = [];
  log = (...args: unknown[]) => this.push('info', args);
  error = (...args: unknown[]) => this.push('error', args);
  warn = (...args: unknown[]) => this.push('warn', args);
  debug = (...args: unknown[]) => this.push('debug', args);
  verbose = (...args: unknown[]) => this.push('verbose', args);
  fatal = (...args: unknown[]) => this.push('fatal', args);

  matching(text: string): string[] {
    return this.lines.filter((line) => line.includes(text));
  }

  private push(level: string, args: unknown[]): void {
    this.lines.push(`${level} ${JSON.stringify(args)}`);
  }
}
