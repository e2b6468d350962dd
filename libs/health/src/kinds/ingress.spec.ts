import { describe, expect, it } from 'vitest';
import { HealthStatus } from '../health-status';
import { healthOf } from '../testdata/fixture';

describe('Ingress health', () => {
  it.each<[string, HealthStatus, string | undefined]>([
    [
      'ingress-pending.yaml',
      'Progressing',
      'Waiting for the ingress controller to publish an address',
    ],
    ['ingress-ready.yaml', 'Healthy', undefined],
  ])('%s is %s', (file, status, message) => {
    expect(healthOf(file)).toEqual({ status, message });
  });
});
