import { describe, expect, it } from 'vitest';
import { HealthStatus } from '../health-status';
import { healthOf } from '../testdata/fixture';

describe('Namespace health', () => {
  it.each<[string, HealthStatus, string | undefined]>([
    ['namespace-active.yaml', 'Healthy', undefined],
    [
      'namespace-terminating.yaml',
      'Progressing',
      'Namespace is terminating; SomeResourcesRemain: Some resources are remaining: certificates.cert-manager.io has 1 resource instances; SomeFinalizersRemain: Some content in the namespace has finalizers remaining: cert-manager.io/finalizer in 1 resource instances',
    ],
  ])('%s is %s', (file, status, message) => {
    expect(healthOf(file)).toEqual({ status, message });
  });
});
