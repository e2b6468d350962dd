import { HealthAssessment } from './health-status';
import { apiGroup, KubeObject } from './kube-object';
import { apiServiceHealth } from './kinds/api-service';
import { conditionsHealth } from './kinds/conditions';
import { cronJobHealth } from './kinds/cronjob';
import { daemonSetHealth } from './kinds/daemonset';
import { deploymentHealth } from './kinds/deployment';
import { horizontalPodAutoscalerHealth } from './kinds/horizontal-pod-autoscaler';
import { ingressHealth } from './kinds/ingress';
import { jobHealth } from './kinds/job';
import { namespaceHealth } from './kinds/namespace';
import { persistentVolumeClaimHealth } from './kinds/persistent-volume-claim';
import { podHealth } from './kinds/pod';
import { replicaSetHealth } from './kinds/replicaset';
import { serviceHealth } from './kinds/service';
import { statefulSetHealth } from './kinds/statefulset';

// Each rule declares the fields of its kind; the object is untrusted JSON all the same, so a
// rule that trips over an unexpected shape is caught below rather than typed away here.
type HealthRule = (obj: KubeObject) => HealthAssessment;
const rule = <T extends KubeObject>(assess: (obj: T) => HealthAssessment) => assess as HealthRule;

const namespaceRule = rule(namespaceHealth);

/** Keyed by "group/Kind": a CRD that happens to be called Deployment gets the generic rule. */
const RULES: Record<string, HealthRule> = {
  'apps/Deployment': rule(deploymentHealth),
  'apps/StatefulSet': rule(statefulSetHealth),
  'apps/DaemonSet': rule(daemonSetHealth),
  'apps/ReplicaSet': rule(replicaSetHealth),
  '/Pod': rule(podHealth),
  '/Service': rule(serviceHealth),
  '/PersistentVolumeClaim': rule(persistentVolumeClaimHealth),
  '/Namespace': namespaceRule,
  'networking.k8s.io/Ingress': rule(ingressHealth),
  'batch/Job': rule(jobHealth),
  'batch/CronJob': rule(cronJobHealth),
  'autoscaling/HorizontalPodAutoscaler': rule(horizontalPodAutoscalerHealth),
  'apiregistration.k8s.io/APIService': rule(apiServiceHealth),
};

/**
 * The health of one live object; `undefined` means it is not in the cluster (Missing).
 * Never throws: an object that cannot be assessed is Unknown, with the reason.
 */
export function assessHealth(obj: KubeObject | undefined): HealthAssessment {
  if (!obj) return { status: 'Missing', message: 'Object does not exist in the cluster' };
  try {
    return assessLive(obj);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return {
      status: 'Unknown',
      message: `Cannot assess the health of ${obj.kind} "${obj.metadata?.name}": ${reason}`,
    };
  }
}

function assessLive(obj: KubeObject): HealthAssessment {
  const assess = RULES[`${apiGroup(obj.apiVersion)}/${obj.kind}`] ?? conditionsHealth;
  // A terminating Namespace is left to its rule, whose conditions say what blocks it.
  if (obj.metadata?.deletionTimestamp && assess !== namespaceRule) return pendingDeletion(obj);
  return assess(obj);
}

function pendingDeletion({ metadata }: KubeObject): HealthAssessment {
  const finalizers = metadata?.finalizers ?? [];
  return {
    status: 'Progressing',
    message:
      finalizers.length > 0
        ? `Pending deletion, waiting for finalizers: ${finalizers.join(', ')}`
        : 'Pending deletion',
  };
}
