import { describe, expect, it } from 'vitest';
import { HealthStatus } from '../health-status';
import { healthOf } from '../testdata/fixture';

describe('PersistentVolumeClaim health', () => {
  it.each<[string, HealthStatus, string | undefined]>([
    ['pvc-bound.yaml', 'Healthy', undefined],
    ['pvc-pending.yaml', 'Progressing', 'Waiting for the claim to be bound to a volume'],
    ['pvc-lost.yaml', 'Degraded', 'The claim lost its volume "pvc-6a1f2c3d"; its data may be gone'],
  ])('%s is %s', (file, status, message) => {
    expect(healthOf(file)).toEqual({ status, message });
  });
});
