import { HealthAssessment } from '../health-status';
import { Condition, describeCondition, KubeObject } from '../kube-object';

export type Namespace = KubeObject & { status?: { phase?: string; conditions?: Condition[] } };

/**
 * A terminating namespace can hang for ever on finalizers or content it cannot delete; its
 * True conditions (NamespaceFinalizersRemaining, NamespaceDeletionContentFailure, ...) say
 * which, so they are the message.
 */
export function namespaceHealth({ status }: Namespace): HealthAssessment {
  const phase = status?.phase ?? 'Active';
  if (phase === 'Active') return { status: 'Healthy' };
  if (phase === 'Terminating') {
    const blockers = (status?.conditions ?? []).filter((c) => c.status === 'True');
    const why = blockers.map(describeCondition).filter((text) => text);
    return {
      status: 'Progressing',
      message: ['Namespace is terminating', ...why].join('; '),
    };
  }
  return { status: 'Unknown', message: `Unknown namespace phase "${phase}"` };
}
