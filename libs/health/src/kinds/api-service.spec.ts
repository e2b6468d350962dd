import { describe, expect, it } from 'vitest';
import { HealthStatus } from '../health-status';
import { healthOf } from '../testdata/fixture';

describe('APIService health', () => {
  it.each<[string, HealthStatus, string | undefined]>([
    ['apiservice-available.yaml', 'Healthy', 'Passed: all checks passed'],
    [
      'apiservice-unavailable.yaml',
      'Progressing',
      'MissingEndpoints: endpoints for service/metrics-server in "kube-system" have no addresses with port name "https"',
    ],
    ['apiservice-unprocessed.yaml', 'Progressing', 'Waiting to be processed'],
  ])('%s is %s', (file, status, message) => {
    expect(healthOf(file)).toEqual({ status, message });
  });
});
