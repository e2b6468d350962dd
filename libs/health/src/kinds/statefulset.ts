import { HealthAssessment } from '../health-status';
import { KubeObject } from '../kube-object';

export type StatefulSet = KubeObject & {
  spec?: {
    replicas?: number;
    updateStrategy?: { type?: string; rollingUpdate?: { partition?: number } };
  };
  status?: {
    observedGeneration?: number;
    readyReplicas?: number;
    currentReplicas?: number;
    updatedReplicas?: number;
    currentRevision?: string;
    updateRevision?: string;
  };
};

/** kubectl's `rollout status` for StatefulSets, with gitops-engine's messages. */
export function statefulSetHealth({ metadata, spec, status = {} }: StatefulSet): HealthAssessment {
  const observed = status.observedGeneration ?? 0;
  if (observed === 0 || observed < (metadata?.generation ?? 0)) {
    return {
      status: 'Progressing',
      message: 'Waiting for statefulset spec update to be observed...',
    };
  }
  const desired = spec?.replicas ?? 1;
  const { readyReplicas = 0, updatedReplicas = 0, currentReplicas = 0 } = status;
  if (readyReplicas < desired) {
    return {
      status: 'Progressing',
      message: `Waiting for ${desired - readyReplicas} pods to be ready...`,
    };
  }
  const strategy = spec?.updateStrategy?.type ?? 'RollingUpdate';
  const partition = spec?.updateStrategy?.rollingUpdate?.partition;
  // A partition holds back the pods below its ordinal on purpose (a canary): only the pods at
  // or above it are expected to reach the new revision.
  if (strategy === 'RollingUpdate' && partition !== undefined && partition > 0) {
    const expected = desired - partition;
    if (updatedReplicas < expected) {
      return {
        status: 'Progressing',
        message: `Waiting for partitioned roll out to finish: ${updatedReplicas} out of ${expected} new pods have been updated...`,
      };
    }
    return {
      status: 'Healthy',
      message: `partitioned roll out complete: ${updatedReplicas} new pods have been updated...`,
    };
  }
  // OnDelete: pods change revision only when someone deletes them, so a revision gap is expected.
  if (strategy === 'OnDelete') {
    return { status: 'Healthy', message: `statefulset has ${readyReplicas} ready pods` };
  }
  if (status.updateRevision !== status.currentRevision) {
    return {
      status: 'Progressing',
      message: `waiting for statefulset rolling update to complete ${updatedReplicas} pods at revision ${status.updateRevision}...`,
    };
  }
  return {
    status: 'Healthy',
    message: `statefulset rolling update complete ${currentReplicas} pods at revision ${status.currentRevision}...`,
  };
}
