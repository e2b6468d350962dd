import { describe, expect, it } from 'vitest';
import { HealthStatus } from '../health-status';
import { healthOf } from '../testdata/fixture';

describe('HorizontalPodAutoscaler health', () => {
  it.each<[string, HealthStatus, string | undefined]>([
    [
      'hpa-healthy.yaml',
      'Healthy',
      'the HPA was able to successfully calculate a replica count from cpu resource utilization (percentage of request)',
    ],
    [
      'hpa-scaling-limited.yaml',
      'Healthy',
      'the desired replica count is more than the maximum replica count',
    ],
    [
      'hpa-degraded-metrics.yaml',
      'Degraded',
      'FailedGetResourceMetric: the HPA was unable to compute the replica count: failed to get cpu utilization: unable to get metrics for resource cpu: no metrics returned from resource metrics API',
    ],
    [
      'hpa-degraded-scale.yaml',
      'Degraded',
      'FailedGetScale: the HPA controller was unable to get the target\'s current scale: deployments/scale.apps "web" not found',
    ],
    ['hpa-no-conditions.yaml', 'Progressing', 'Waiting to Autoscale'],
    [
      'hpa-v1-annotation.yaml',
      'Degraded',
      'FailedGetResourceMetric: the HPA was unable to compute the replica count: missing request for cpu',
    ],
  ])('%s is %s', (file, status, message) => {
    expect(healthOf(file)).toEqual({ status, message });
  });
});
