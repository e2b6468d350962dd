import { HealthAssessment } from '../health-status';
import { Condition, describeCondition, findCondition, KubeObject } from '../kube-object';

export type HorizontalPodAutoscaler = KubeObject & { status?: { conditions?: Condition[] } };

/** Where autoscaling/v1 keeps the conditions that v2 has in status. */
const V1_CONDITIONS_ANNOTATION = 'autoscaling.alpha.kubernetes.io/conditions';

/**
 * A failed or invalid AbleToScale / ScalingActive means the autoscaler cannot do its job
 * (FailedGetScale, FailedGetResourceMetric, InvalidSelector, ...). Other False reasons are
 * deliberate or passing: ScalingDisabled (target scaled to zero), Backoff* (cool-down).
 */
function isBroken(condition: Condition): boolean {
  return (
    (condition.type === 'AbleToScale' || condition.type === 'ScalingActive') &&
    condition.status === 'False' &&
    /^(Failed|Invalid)/.test(condition.reason ?? '')
  );
}

function conditionsOf({ metadata, status }: HorizontalPodAutoscaler): Condition[] {
  if (status?.conditions) return status.conditions;
  const annotation = metadata?.annotations?.[V1_CONDITIONS_ANNOTATION];
  return annotation ? (JSON.parse(annotation) as Condition[]) : [];
}

export function horizontalPodAutoscalerHealth(hpa: HorizontalPodAutoscaler): HealthAssessment {
  const conditions = conditionsOf(hpa);
  // Every condition is checked before any is trusted: gitops-engine stops at the first healthy
  // one, so AbleToScale=True hid a ScalingActive=False that followed it.
  const broken = conditions.find(isBroken);
  if (broken) return { status: 'Degraded', message: describeCondition(broken) };
  const ableToScale = findCondition(conditions, 'AbleToScale');
  if (ableToScale?.status !== 'True') {
    return { status: 'Progressing', message: 'Waiting to Autoscale' };
  }
  // ScalingLimited=True (held at min or max replicas) is the autoscaler working as configured.
  const limited = findCondition(conditions, 'ScalingLimited');
  const active = findCondition(conditions, 'ScalingActive');
  return {
    status: 'Healthy',
    message: (limited?.status === 'True' ? limited : (active ?? ableToScale)).message,
  };
}
