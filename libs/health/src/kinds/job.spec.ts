import { describe, expect, it } from 'vitest';
import { HealthStatus } from '../health-status';
import { healthOf } from '../testdata/fixture';

describe('Job health', () => {
  it.each<[string, HealthStatus, string | undefined]>([
    ['job-complete.yaml', 'Healthy', undefined],
    [
      'job-failed.yaml',
      'Degraded',
      'BackoffLimitExceeded: Job has reached the specified backoff limit',
    ],
    [
      'job-failure-target.yaml',
      'Degraded',
      'DeadlineExceeded: Job was active longer than specified deadline',
    ],
    ['job-suspended.yaml', 'Suspended', 'Job is suspended'],
    [
      'job-running.yaml',
      'Progressing',
      'Waiting for the job to complete: 1 of 3 completions, 1 active, 1 failed pods',
    ],
    [
      'job-resumed.yaml',
      'Progressing',
      'Waiting for the job to complete: 0 of 1 completions, 1 active, 0 failed pods',
    ],
  ])('%s is %s', (file, status, message) => {
    expect(healthOf(file)).toEqual({ status, message });
  });
});
