import { HealthAssessment } from '../health-status';
import { KubeObject } from '../kube-object';

export type DaemonSet = KubeObject & {
  spec?: { updateStrategy?: { type?: string } };
  status?: {
    observedGeneration?: number;
    desiredNumberScheduled?: number;
    updatedNumberScheduled?: number;
    numberAvailable?: number;
  };
};

/** kubectl's `rollout status` for DaemonSets, with gitops-engine's messages. */
export function daemonSetHealth({ metadata, spec, status = {} }: DaemonSet): HealthAssessment {
  if ((status.observedGeneration ?? 0) < (metadata?.generation ?? 0)) {
    return {
      status: 'Progressing',
      message:
        'Waiting for rollout to finish: observed daemon set generation less than desired generation',
    };
  }
  const { desiredNumberScheduled = 0, updatedNumberScheduled = 0, numberAvailable = 0 } = status;
  // OnDelete: nodes get the new pod only when someone deletes the old one; nothing to wait for.
  if (spec?.updateStrategy?.type === 'OnDelete') {
    return {
      status: 'Healthy',
      message: `daemon set ${updatedNumberScheduled} out of ${desiredNumberScheduled} new pods have been updated`,
    };
  }
  const name = metadata?.name;
  if (updatedNumberScheduled < desiredNumberScheduled) {
    return {
      status: 'Progressing',
      message: `Waiting for daemon set "${name}" rollout to finish: ${updatedNumberScheduled} out of ${desiredNumberScheduled} new pods have been updated...`,
    };
  }
  if (numberAvailable < desiredNumberScheduled) {
    return {
      status: 'Progressing',
      message: `Waiting for daemon set "${name}" rollout to finish: ${numberAvailable} of ${desiredNumberScheduled} updated pods are available...`,
    };
  }
  return { status: 'Healthy' };
}
