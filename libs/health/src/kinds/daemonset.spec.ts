import { describe, expect, it } from 'vitest';
import { HealthStatus } from '../health-status';
import { healthOf } from '../testdata/fixture';

describe('DaemonSet health', () => {
  it.each<[string, HealthStatus, string | undefined]>([
    ['daemonset-healthy.yaml', 'Healthy', undefined],
    [
      'daemonset-updating.yaml',
      'Progressing',
      'Waiting for daemon set "node-agent" rollout to finish: 1 out of 4 new pods have been updated...',
    ],
    [
      'daemonset-unavailable.yaml',
      'Progressing',
      'Waiting for daemon set "node-agent" rollout to finish: 2 of 4 updated pods are available...',
    ],
    [
      'daemonset-generation-lag.yaml',
      'Progressing',
      'Waiting for rollout to finish: observed daemon set generation less than desired generation',
    ],
    ['daemonset-ondelete.yaml', 'Healthy', 'daemon set 1 out of 4 new pods have been updated'],
  ])('%s is %s', (file, status, message) => {
    expect(healthOf(file)).toEqual({ status, message });
  });
});
