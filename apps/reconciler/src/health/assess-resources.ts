import type { HealthState, ResourceRef, ResourceStatus } from '@cairn/contracts';
import { assessHealth, type KubeObject, worstHealth } from '@cairn/health';
import type { LiveReading } from '../live/read-live';
import { describeRef, refKey } from '../sync/resource-refs';

export interface AssessedHealth {
  /** The app's health: its worst resource's, with that resource named in the message. */
  health: HealthState;
  /** Health per resource, by refKey. */
  resources: Map<string, HealthState>;
}

/** Assesses each resource as the live cache has it; one that is absent is Missing. */
export function assessResources(
  refs: readonly ResourceRef[],
  read: (ref: ResourceRef) => LiveReading,
): AssessedHealth {
  const resources = new Map<string, HealthState>();
  for (const ref of refs) resources.set(refKey(ref), assessOne(read(ref)));
  const status = worstHealth([...resources.values()].map((h) => h.status));
  const worst = refs.find((ref) => resources.get(refKey(ref))?.status === status);
  const message = worst && resources.get(refKey(worst))?.message;
  return {
    health:
      status !== 'Healthy' && worst && message
        ? { status, message: `${describeRef(worst)}: ${message}` }
        : { status },
    resources,
  };
}

function assessOne(reading: LiveReading): HealthState {
  if (reading.unknown) return { status: 'Unknown', message: reading.unknown };
  const { status, message } = assessHealth(reading.object as KubeObject | undefined);
  return message ? { status, message } : { status };
}

/** The resources' statuses with the assessed health set on each. */
export function withHealth(
  resources: readonly ResourceStatus[],
  assessed: AssessedHealth,
): ResourceStatus[] {
  return resources.map((resource) => {
    const health = assessed.resources.get(refKey(resource));
    return health ? { ...resource, health } : resource;
  });
}
