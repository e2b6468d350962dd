import type { Logger } from '@nestjs/common';

/**
 * Logs a recurring problem (a repository that refuses our password, a branch that does
 * not exist) when it starts or changes and when it goes away, rather than on every poll:
 * with a thousand repositories polled every 15 s, one line per poll would drown the rest.
 */
export class ProblemLog {
  private readonly current = new Map<string, string>();

  constructor(private readonly logger: Logger) {}

  report(subject: string, problem: string, fields: Record<string, unknown>): void {
    if (this.current.get(subject) === problem) return;
    this.current.set(subject, problem);
    this.logger.warn({ msg: problem, ...fields });
  }

  resolve(subject: string, message: string, fields: Record<string, unknown>): void {
    if (!this.current.delete(subject)) return;
    this.logger.log({ msg: message, ...fields });
  }

  /** Forgets subjects that no longer exist (removed apps and repositories). */
  keepOnly(subjects: ReadonlySet<string>): void {
    for (const subject of this.current.keys())
      if (!subjects.has(subject)) this.current.delete(subject);
  }
}
