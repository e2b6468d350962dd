import { HealthAssessment } from '../health-status';
import { Condition, describeCondition, findCondition, KubeObject } from '../kube-object';

export type Job = KubeObject & {
  spec?: { suspend?: boolean; completions?: number };
  status?: {
    active?: number;
    succeeded?: number;
    failed?: number;
    conditions?: Condition[];
  };
};

const isTrue = (condition: Condition | undefined): condition is Condition =>
  condition?.status === 'True';

export function jobHealth({ spec, status = {} }: Job): HealthAssessment {
  const { conditions } = status;
  // FailureTarget (Kubernetes 1.31+) is the verdict while the last pods terminate; Failed follows.
  const failed = [findCondition(conditions, 'Failed'), findCondition(conditions, 'FailureTarget')];
  const failure = failed.find(isTrue);
  if (failure) return { status: 'Degraded', message: describeCondition(failure) };
  const complete = findCondition(conditions, 'Complete');
  if (isTrue(complete)) return { status: 'Healthy', message: complete.message };
  // spec.suspend is the intent; the Suspended condition only appears once the controller acts.
  if (spec?.suspend || isTrue(findCondition(conditions, 'Suspended'))) {
    return { status: 'Suspended', message: 'Job is suspended' };
  }
  const { active = 0, succeeded = 0, failed: failedPods = 0 } = status;
  return {
    status: 'Progressing',
    message: `Waiting for the job to complete: ${succeeded} of ${spec?.completions ?? 1} completions, ${active} active, ${failedPods} failed pods`,
  };
}
