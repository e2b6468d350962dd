import { describe, expect, it } from 'vitest';
import { HealthStatus } from '../health-status';
import { healthOf } from '../testdata/fixture';

describe('CronJob health', () => {
  it.each<[string, HealthStatus, string | undefined]>([
    ['cronjob-healthy.yaml', 'Healthy', 'Last job succeeded at 2025-05-01T10:00:42.000Z'],
    ['cronjob-running.yaml', 'Healthy', '1 job(s) running'],
    [
      'cronjob-last-failed.yaml',
      'Degraded',
      'The job scheduled at 2025-05-01T11:00:00.000Z did not complete successfully',
    ],
    ['cronjob-suspended.yaml', 'Suspended', 'CronJob is suspended'],
    ['cronjob-never-scheduled.yaml', 'Healthy', undefined],
  ])('%s is %s', (file, status, message) => {
    expect(healthOf(file)).toEqual({ status, message });
  });
});
