import { describe, expect, it } from 'vitest';
import { HealthStatus } from '../health-status';
import { healthOf } from '../testdata/fixture';

describe('StatefulSet health', () => {
  it.each<[string, HealthStatus, string | undefined]>([
    [
      'statefulset-healthy.yaml',
      'Healthy',
      'statefulset rolling update complete 3 pods at revision db-6c9f7d8b5...',
    ],
    ['statefulset-not-ready.yaml', 'Progressing', 'Waiting for 2 pods to be ready...'],
    [
      'statefulset-generation-lag.yaml',
      'Progressing',
      'Waiting for statefulset spec update to be observed...',
    ],
    [
      'statefulset-rolling-update.yaml',
      'Progressing',
      'waiting for statefulset rolling update to complete 1 pods at revision db-7f8d9c6b4...',
    ],
    [
      'statefulset-partition-progressing.yaml',
      'Progressing',
      'Waiting for partitioned roll out to finish: 1 out of 2 new pods have been updated...',
    ],
    [
      'statefulset-partition-complete.yaml',
      'Healthy',
      'partitioned roll out complete: 2 new pods have been updated...',
    ],
    ['statefulset-ondelete.yaml', 'Healthy', 'statefulset has 3 ready pods'],
  ])('%s is %s', (file, status, message) => {
    expect(healthOf(file)).toEqual({ status, message });
  });
});
