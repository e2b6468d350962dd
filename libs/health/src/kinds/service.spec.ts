import { describe, expect, it } from 'vitest';
import { HealthStatus } from '../health-status';
import { healthOf } from '../testdata/fixture';

describe('Service health', () => {
  it.each<[string, HealthStatus, string | undefined]>([
    ['service-clusterip.yaml', 'Healthy', undefined],
    [
      'service-loadbalancer-pending.yaml',
      'Progressing',
      'Waiting for the load balancer to get an address',
    ],
    ['service-loadbalancer-ready.yaml', 'Healthy', undefined],
  ])('%s is %s', (file, status, message) => {
    expect(healthOf(file)).toEqual({ status, message });
  });
});
