import { HealthAssessment } from '../health-status';
import { Condition, describeCondition, findCondition, KubeObject } from '../kube-object';

type WithConditions = KubeObject & {
  status?: { observedGeneration?: number; conditions?: Condition[] };
};

/** Ready=False reasons that name work under way rather than a failure. */
const IN_PROGRESS_REASONS = new Set([
  'Progressing',
  'Reconciling',
  'Pending',
  'Provisioning',
  'Initializing',
  'Creating',
  'Updating',
]);

/**
 * Any other kind, by the conventions most controllers follow (kstatus, Flux, Crossplane,
 * cert-manager): observedGeneration, then Stalled, Reconciling and Ready. An object with none of
 * these (ConfigMap, Secret, RBAC) has nothing to wait for and is Healthy.
 */
export function conditionsHealth({ metadata, status }: WithConditions): HealthAssessment {
  const generation = metadata?.generation;
  const observed = status?.observedGeneration;
  // The conditions describe an older spec until the controller has observed the latest one.
  if (generation !== undefined && observed !== undefined && observed < generation) {
    return {
      status: 'Progressing',
      message: `Waiting for the controller to observe generation ${generation} (observed ${observed})`,
    };
  }
  const conditions = status?.conditions;
  const stalled = findCondition(conditions, 'Stalled');
  if (stalled?.status === 'True') {
    return { status: 'Degraded', message: describeCondition(stalled) };
  }
  const reconciling = findCondition(conditions, 'Reconciling');
  if (reconciling?.status === 'True') {
    return { status: 'Progressing', message: describeCondition(reconciling) };
  }
  const ready = findCondition(conditions, 'Ready');
  if (!ready) return { status: 'Healthy' };
  const message = describeCondition(ready);
  // Some controllers (cert-manager) record the generation per condition instead.
  const readyFor = ready.observedGeneration ?? generation;
  if (generation !== undefined && readyFor !== undefined && readyFor < generation) {
    return {
      status: 'Progressing',
      message: `Waiting for the controller to observe generation ${generation} (Ready is about ${readyFor})`,
    };
  }
  if (ready.status === 'True') return { status: 'Healthy', message };
  if (ready.status === 'False' && !IN_PROGRESS_REASONS.has(ready.reason ?? '')) {
    return { status: 'Degraded', message };
  }
  return { status: 'Progressing', message };
}
