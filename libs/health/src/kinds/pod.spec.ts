import { describe, expect, it } from 'vitest';
import { HealthStatus } from '../health-status';
import { healthOf } from '../testdata/fixture';

describe('Pod health', () => {
  it.each<[string, HealthStatus, string | undefined]>([
    ['pod-running-ready.yaml', 'Healthy', undefined],
    ['pod-running-not-ready.yaml', 'Progressing', 'Waiting for containers to be ready: "web"'],
    [
      'pod-restarted-not-ready.yaml',
      'Degraded',
      'container "web" is not ready after it terminated (Error, exit code 1)',
    ],
    ['pod-running-to-completion.yaml', 'Progressing', undefined],
    ['pod-succeeded.yaml', 'Healthy', undefined],
    ['pod-failed.yaml', 'Degraded', 'container "migrate" failed with exit code 2'],
    [
      'pod-evicted.yaml',
      'Degraded',
      'Evicted: The node was low on resource: memory. Threshold quantity: 100Mi, available: 91412Ki.',
    ],
    [
      'pod-pending.yaml',
      'Progressing',
      'Unschedulable: 0/3 nodes are available: 3 Insufficient cpu.',
    ],
    [
      'pod-crashloop.yaml',
      'Degraded',
      'container "web": CrashLoopBackOff: back-off 2m40s restarting failed container=web pod=web-7d9c8b6f4-x2x9k_shop(3f1c2a9e-8b1d-4c55-9a43-0c2d5e6f7a81)',
    ],
    [
      'pod-imagepullbackoff.yaml',
      'Degraded',
      'container "web": ImagePullBackOff: Back-off pulling image "ghcr.io/acme/web:1.4.3"',
    ],
    [
      'pod-errimagepull.yaml',
      'Degraded',
      'container "web": ErrImagePull: rpc error: code = NotFound desc = failed to pull and unpack image "ghcr.io/acme/web:1.4.3": not found',
    ],
    [
      'pod-createcontainerconfigerror.yaml',
      'Degraded',
      'container "web": CreateContainerConfigError: secret "web-db" not found',
    ],
    [
      'pod-invalidimagename.yaml',
      'Degraded',
      'container "web": InvalidImageName: Failed to apply default image tag "ghcr.io/acme/Web:1.4": couldn\'t parse image name',
    ],
    [
      'pod-init-imagepullbackoff.yaml',
      'Degraded',
      'container "migrate": ImagePullBackOff: Back-off pulling image "ghcr.io/acme/migrate:9.9"',
    ],
    [
      'pod-job-crashloop.yaml',
      'Degraded',
      'container "report": CrashLoopBackOff: back-off 40s restarting failed container=report pod=report-29123456-abcde_shop(b2c4)',
    ],
    ['pod-unknown.yaml', 'Unknown', 'Pod phase is "Unknown"'],
  ])('%s is %s', (file, status, message) => {
    expect(healthOf(file)).toEqual({ status, message });
  });
});
