import { HealthAssessment } from '../health-status';
import { Condition, findCondition, KubeObject } from '../kube-object';

export type Deployment = KubeObject & {
  spec?: { replicas?: number; paused?: boolean };
  status?: {
    observedGeneration?: number;
    replicas?: number;
    updatedReplicas?: number;
    availableReplicas?: number;
    conditions?: Condition[];
  };
};

/** kubectl's `rollout status` checks, in its order, with gitops-engine's messages. */
export function deploymentHealth({ metadata, spec, status = {} }: Deployment): HealthAssessment {
  if (spec?.paused) return { status: 'Suspended', message: 'Deployment is paused' };
  // Until the controller has seen the latest spec, every count below describes the old one.
  if ((status.observedGeneration ?? 0) < (metadata?.generation ?? 0)) {
    return {
      status: 'Progressing',
      message:
        'Waiting for rollout to finish: observed deployment generation less than desired generation',
    };
  }
  const progressing = findCondition(status.conditions, 'Progressing');
  if (progressing?.reason === 'ProgressDeadlineExceeded') {
    const detail = progressing.message ? `: ${progressing.message}` : '';
    return {
      status: 'Degraded',
      message: `Deployment "${metadata?.name}" exceeded its progress deadline${detail}`,
    };
  }
  // Kubernetes omits zero counts and defaults spec.replicas to 1.
  const desired = spec?.replicas ?? 1;
  const { replicas = 0, updatedReplicas = 0, availableReplicas = 0 } = status;
  if (updatedReplicas < desired) {
    return {
      status: 'Progressing',
      message: `Waiting for rollout to finish: ${updatedReplicas} out of ${desired} new replicas have been updated...`,
    };
  }
  if (replicas > updatedReplicas) {
    return {
      status: 'Progressing',
      message: `Waiting for rollout to finish: ${replicas - updatedReplicas} old replicas are pending termination...`,
    };
  }
  if (availableReplicas < updatedReplicas) {
    return {
      status: 'Progressing',
      message: `Waiting for rollout to finish: ${availableReplicas} of ${updatedReplicas} updated replicas are available...`,
    };
  }
  return { status: 'Healthy' };
}
