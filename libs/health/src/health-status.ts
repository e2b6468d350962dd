/**
 * Health of a live object, from best to worst. The order is gitops-engine's, so an application
 * reports the same health an Argo CD user would expect: its worst resource wins.
 */
export const HEALTH_ORDER = [
  'Healthy',
  'Suspended',
  'Progressing',
  'Missing',
  'Degraded',
  'Unknown',
] as const;

export type HealthStatus = (typeof HEALTH_ORDER)[number];

/** The verdict on one object; `message` says why when the status alone does not. */
export interface HealthAssessment {
  status: HealthStatus;
  message?: string;
}

/** True when `candidate` is strictly worse than `current`. */
export function isWorse(current: HealthStatus, candidate: HealthStatus): boolean {
  return HEALTH_ORDER.indexOf(candidate) > HEALTH_ORDER.indexOf(current);
}

/** The worst of several statuses; nothing to assess is Healthy, as for an empty Argo CD app. */
export function worstHealth(statuses: Iterable<HealthStatus>): HealthStatus {
  let worst: HealthStatus = 'Healthy';
  for (const status of statuses) if (isWorse(worst, status)) worst = status;
  return worst;
}
