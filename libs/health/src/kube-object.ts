/**
 * The few fields the health rules read: a structural subset of any Kubernetes object, so raw
 * JSON from a watch and @kubernetes/client-node's typed models (which turn times into Date)
 * both fit without this library depending on either.
 */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata?: {
    name?: string;
    namespace?: string;
    generation?: number;
    deletionTimestamp?: string | Date;
    finalizers?: string[];
    annotations?: Record<string, string>;
  };
  spec?: unknown;
  status?: unknown;
}

/** A status condition as most controllers write it (metav1.Condition and its look-alikes). */
export interface Condition {
  type?: string;
  status?: string;
  reason?: string;
  message?: string;
  observedGeneration?: number;
}

export function findCondition(
  conditions: readonly Condition[] | undefined,
  type: string,
): Condition | undefined {
  return Array.isArray(conditions) ? conditions.find((c) => c.type === type) : undefined;
}

/** "Reason: message", or whichever of the two is set; what a user needs to act on a condition. */
export function describeCondition(condition: Condition): string | undefined {
  const parts = [condition.reason, condition.message].filter((part) => part);
  return parts.length > 0 ? parts.join(': ') : undefined;
}

/** The API group of an apiVersion: "apps/v1" is "apps", the core "v1" is "". */
export function apiGroup(apiVersion: string | undefined): string {
  return apiVersion?.includes('/') ? apiVersion.split('/')[0] : '';
}
