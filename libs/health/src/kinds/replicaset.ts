import { HealthAssessment } from '../health-status';
import { Condition, findCondition, KubeObject } from '../kube-object';

export type ReplicaSet = KubeObject & {
  spec?: { replicas?: number };
  status?: { observedGeneration?: number; availableReplicas?: number; conditions?: Condition[] };
};

export function replicaSetHealth({ metadata, spec, status = {} }: ReplicaSet): HealthAssessment {
  if ((status.observedGeneration ?? 0) < (metadata?.generation ?? 0)) {
    return {
      status: 'Progressing',
      message:
        'Waiting for rollout to finish: observed replica set generation less than desired generation',
    };
  }
  // ReplicaFailure is how a ReplicaSet says it cannot create pods (quota, admission webhook...).
  const failure = findCondition(status.conditions, 'ReplicaFailure');
  if (failure?.status === 'True') return { status: 'Degraded', message: failure.message };
  const desired = spec?.replicas ?? 1;
  const available = status.availableReplicas ?? 0;
  if (available < desired) {
    return {
      status: 'Progressing',
      message: `Waiting for rollout to finish: ${available} out of ${desired} new replicas are available...`,
    };
  }
  return { status: 'Healthy' };
}
