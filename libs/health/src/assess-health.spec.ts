import type { V1Deployment } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { assessHealth } from './assess-health';
import { healthOf } from './testdata/fixture';

describe('assessHealth', () => {
  it('calls an object that is not in the cluster Missing', () => {
    expect(assessHealth(undefined)).toEqual({
      status: 'Missing',
      message: 'Object does not exist in the cluster',
    });
  });

  it('calls an object being deleted Progressing, naming the finalizers it waits for', () => {
    expect(healthOf('pvc-deleting.yaml')).toEqual({
      status: 'Progressing',
      message: 'Pending deletion, waiting for finalizers: kubernetes.io/pvc-protection',
    });
  });

  it('takes the typed models of @kubernetes/client-node, whose times are Dates', () => {
    const deployment: V1Deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', deletionTimestamp: new Date('2025-05-01T10:00:00Z') },
    };
    expect(assessHealth(deployment)).toEqual({
      status: 'Progressing',
      message: 'Pending deletion',
    });
  });

  // An empty status tells the kind rules apart from the generic rule, which calls it Healthy.
  it.each([
    [
      'apps/v1',
      'Deployment',
      'Waiting for rollout to finish: 0 out of 1 new replicas have been updated...',
    ],
    ['apps/v1', 'StatefulSet', 'Waiting for statefulset spec update to be observed...'],
    ['apps/v1', 'DaemonSet', undefined],
    [
      'apps/v1',
      'ReplicaSet',
      'Waiting for rollout to finish: 0 out of 1 new replicas are available...',
    ],
    ['v1', 'Pod', 'Pod has no phase'],
    ['v1', 'PersistentVolumeClaim', 'Waiting for the claim to be bound to a volume'],
    ['networking.k8s.io/v1', 'Ingress', 'Waiting for the ingress controller to publish an address'],
    [
      'batch/v1',
      'Job',
      'Waiting for the job to complete: 0 of 1 completions, 0 active, 0 failed pods',
    ],
    ['autoscaling/v2', 'HorizontalPodAutoscaler', 'Waiting to Autoscale'],
    ['apiregistration.k8s.io/v1', 'APIService', 'Waiting to be processed'],
  ])('routes %s %s to its own rule', (apiVersion, kind, message) => {
    expect(assessHealth({ apiVersion, kind, metadata: { name: 'x' } }).message).toBe(message);
  });

  it('routes by API group, so a custom resource named like a built-in gets the generic rule', () => {
    const custom = { apiVersion: 'example.com/v1', kind: 'Deployment', metadata: { name: 'web' } };
    expect(assessHealth(custom)).toEqual({ status: 'Healthy' });
  });

  it('calls an object it cannot read Unknown instead of throwing', () => {
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'web' },
      status: { containerStatuses: 5 },
    };
    expect(assessHealth(pod)).toEqual({
      status: 'Unknown',
      message: expect.stringMatching(/^Cannot assess the health of Pod "web": .* is not iterable$/),
    });
  });
});
