import { HealthAssessment } from '../health-status';
import { Condition, describeCondition, findCondition, KubeObject } from '../kube-object';

export type APIService = KubeObject & { status?: { conditions?: Condition[] } };

/**
 * Available=False stays Progressing, as in gitops-engine: right after a sync the backing
 * Service often has no endpoints yet (MissingEndpoints), and the object alone cannot tell a
 * backend that is starting from one that is broken.
 */
export function apiServiceHealth({ status }: APIService): HealthAssessment {
  const available = findCondition(status?.conditions, 'Available');
  if (!available) return { status: 'Progressing', message: 'Waiting to be processed' };
  return {
    status: available.status === 'True' ? 'Healthy' : 'Progressing',
    message: describeCondition(available),
  };
}
