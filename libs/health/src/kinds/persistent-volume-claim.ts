import { HealthAssessment } from '../health-status';
import { KubeObject } from '../kube-object';

export type PersistentVolumeClaim = KubeObject & {
  spec?: { volumeName?: string };
  status?: { phase?: string };
};

export function persistentVolumeClaimHealth({
  spec,
  status,
}: PersistentVolumeClaim): HealthAssessment {
  // The API server sets Pending on create; a claim without a phase has not been stored yet.
  const phase = status?.phase ?? 'Pending';
  switch (phase) {
    case 'Bound':
      return { status: 'Healthy' };
    case 'Pending':
      // Also the state of a WaitForFirstConsumer claim until a pod uses it; the object alone
      // cannot tell the two apart.
      return { status: 'Progressing', message: 'Waiting for the claim to be bound to a volume' };
    case 'Lost':
      return {
        status: 'Degraded',
        message: `The claim lost its volume "${spec?.volumeName}"; its data may be gone`,
      };
    default:
      return { status: 'Unknown', message: `Unknown claim phase "${phase}"` };
  }
}
