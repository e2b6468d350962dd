import { Injectable } from '@nestjs/common';

/**
 * A readiness check passes when it returns (or resolves to) anything but `false`; it fails
 * when it throws, rejects, returns `false` or takes longer than CHECK_TIMEOUT_MS. The
 * error message becomes the reason /readyz shows.
 */
export type ReadinessCheck = () => unknown;

export interface ReadinessResult {
  name: string;
  status: 'ok' | 'failed';
  reason?: string;
}

/** A probe that hangs would hang Kubernetes' probe too; a slow dependency is not ready. */
export const CHECK_TIMEOUT_MS = 2_000;

/** The checks /readyz runs. Services register theirs at startup (NATS connected, ...). */
@Injectable()
export class ReadinessChecks {
  private readonly checks = new Map<string, ReadinessCheck>();

  register(name: string, check: ReadinessCheck): void {
    if (this.checks.has(name)) throw new Error(`readiness check "${name}" is already registered`);
    this.checks.set(name, check);
  }

  evaluate(): Promise<ReadinessResult[]> {
    return Promise.all([...this.checks].map(([name, check]) => runCheck(name, check)));
  }
}

async function runCheck(name: string, check: ReadinessCheck): Promise<ReadinessResult> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)),
      CHECK_TIMEOUT_MS,
    );
  });
  try {
    const outcome = await Promise.race([Promise.resolve().then(check), timeout]);
    if (outcome === false) return { name, status: 'failed', reason: 'reported not ready' };
    return { name, status: 'ok' };
  } catch (error) {
    return {
      name,
      status: 'failed',
      reason: error instanceof Error ? error.message : String(error),
    };
  } finally {
    clearTimeout(timer);
  }
}
