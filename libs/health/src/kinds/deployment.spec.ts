import { describe, expect, it } from 'vitest';
import { HealthStatus } from '../health-status';
import { healthOf } from '../testdata/fixture';

describe('Deployment health', () => {
  it.each<[string, HealthStatus, string | undefined]>([
    ['deployment-healthy.yaml', 'Healthy', undefined],
    [
      'deployment-progressing.yaml',
      'Progressing',
      'Waiting for rollout to finish: 1 of 3 updated replicas are available...',
    ],
    [
      'deployment-updating.yaml',
      'Progressing',
      'Waiting for rollout to finish: 1 out of 3 new replicas have been updated...',
    ],
    [
      'deployment-old-replicas.yaml',
      'Progressing',
      'Waiting for rollout to finish: 1 old replicas are pending termination...',
    ],
    [
      'deployment-generation-lag.yaml',
      'Progressing',
      'Waiting for rollout to finish: observed deployment generation less than desired generation',
    ],
    [
      'deployment-degraded.yaml',
      'Degraded',
      'Deployment "web" exceeded its progress deadline: ReplicaSet "web-5f7b9c6d8" has timed out progressing.',
    ],
    ['deployment-paused.yaml', 'Suspended', 'Deployment is paused'],
  ])('%s is %s', (file, status, message) => {
    expect(healthOf(file)).toEqual({ status, message });
  });
});
