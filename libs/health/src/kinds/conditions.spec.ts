import { describe, expect, it } from 'vitest';
import { HealthStatus } from '../health-status';
import { healthOf } from '../testdata/fixture';

describe('Generic (status conditions) health', () => {
  it.each<[string, HealthStatus, string | undefined]>([
    [
      'generic-ready.yaml',
      'Healthy',
      'ReconciliationSucceeded: Applied revision: main@sha1:6b3e2a1c',
    ],
    [
      'generic-not-ready.yaml',
      'Degraded',
      'Failed: The certificate request has failed to complete and will be retried: 429 urn:ietf:params:acme:error:rateLimited',
    ],
    [
      'generic-not-ready-progressing.yaml',
      'Progressing',
      "Progressing: building artifact: new upstream revision 'main@sha1:6b3e2a1c'",
    ],
    ['generic-stalled.yaml', 'Degraded', 'BuildFailed: kustomization path not found: ./apps/prod'],
    [
      'generic-reconciling.yaml',
      'Progressing',
      "Progressing: Running 'upgrade' action with timeout of 5m0s",
    ],
    [
      'generic-generation-lag.yaml',
      'Progressing',
      'Waiting for the controller to observe generation 3 (observed 2)',
    ],
    [
      'generic-stale-ready.yaml',
      'Progressing',
      'Waiting for the controller to observe generation 2 (Ready is about 1)',
    ],
    ['generic-no-conditions.yaml', 'Healthy', undefined],
  ])('%s is %s', (file, status, message) => {
    expect(healthOf(file)).toEqual({ status, message });
  });
});
