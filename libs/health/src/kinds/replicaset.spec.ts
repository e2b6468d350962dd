import { describe, expect, it } from 'vitest';
import { HealthStatus } from '../health-status';
import { healthOf } from '../testdata/fixture';

describe('ReplicaSet health', () => {
  it.each<[string, HealthStatus, string | undefined]>([
    ['replicaset-healthy.yaml', 'Healthy', undefined],
    [
      'replicaset-progressing.yaml',
      'Progressing',
      'Waiting for rollout to finish: 1 out of 2 new replicas are available...',
    ],
    [
      'replicaset-degraded.yaml',
      'Degraded',
      'pods "web-7d9c8b6f4-x2x9k" is forbidden: exceeded quota: compute, requested: cpu=500m, used: cpu=2, limited: cpu=2',
    ],
    [
      'replicaset-generation-lag.yaml',
      'Progressing',
      'Waiting for rollout to finish: observed replica set generation less than desired generation',
    ],
  ])('%s is %s', (file, status, message) => {
    expect(healthOf(file)).toEqual({ status, message });
  });
});
