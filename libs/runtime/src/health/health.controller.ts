import { Controller, Get, ServiceUnavailableException } from '@nestjs/common';
import { ReadinessChecks, type ReadinessResult } from './readiness-checks';

interface HealthReport {
  status: 'ok' | 'unavailable';
  checks?: ReadinessResult[];
}

/** Kubernetes probes: liveness says the process serves requests, readiness that it can work. */
@Controller()
export class HealthController {
  constructor(private readonly checks: ReadinessChecks) {}

  @Get('healthz')
  liveness(): HealthReport {
    return { status: 'ok' };
  }

  @Get('readyz')
  async readiness(): Promise<HealthReport> {
    const checks = await this.checks.evaluate();
    if (checks.some((check) => check.status === 'failed')) {
      throw new ServiceUnavailableException({ status: 'unavailable', checks });
    }
    return { status: 'ok', checks };
  }
}
