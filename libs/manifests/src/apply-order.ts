import type { KubernetesObject } from './kubernetes-object';

/**
 * Kinds in the order they must exist for the next ones to be valid: namespaces and
 * CRDs before what lives in them or uses them, identities and config before workloads,
 * workloads before what routes to them. The same order Helm and Argo CD use, so
 * repositories that work there work here. Kinds not listed (custom resources) go last.
 */
const KIND_ORDER = [
  'Namespace',
  'NetworkPolicy',
  'ResourceQuota',
  'LimitRange',
  'PodSecurityPolicy',
  'PodDisruptionBudget',
  'ServiceAccount',
  'Secret',
  'SecretList',
  'ConfigMap',
  'StorageClass',
  'PersistentVolume',
  'PersistentVolumeClaim',
  'CustomResourceDefinition',
  'ClusterRole',
  'ClusterRoleList',
  'ClusterRoleBinding',
  'ClusterRoleBindingList',
  'Role',
  'RoleList',
  'RoleBinding',
  'RoleBindingList',
  'Service',
  'DaemonSet',
  'Pod',
  'ReplicationController',
  'ReplicaSet',
  'Deployment',
  'HorizontalPodAutoscaler',
  'StatefulSet',
  'Job',
  'CronJob',
  'IngressClass',
  'Ingress',
  'APIService',
  'MutatingWebhookConfiguration',
  'ValidatingWebhookConfiguration',
];
const rank = new Map(KIND_ORDER.map((kind, i) => [kind, i]));

/** A stable sort into apply order; within a kind, the bundle's own order is kept. */
export function sortForApply<T extends Pick<KubernetesObject, 'kind'>>(objects: readonly T[]): T[] {
  const position = (o: T) => rank.get(o.kind) ?? KIND_ORDER.length;
  return [...objects].sort((a, b) => position(a) - position(b));
}

/** Prune order is the reverse: what routes to a workload goes before it, namespaces last. */
export function sortForPrune<T extends Pick<KubernetesObject, 'kind'>>(objects: readonly T[]): T[] {
  return sortForApply(objects).reverse();
}
