import type { HealthState, ResourceRef, ResourceStatus } from '@cairn/contracts';
import { assessHealth, type KubeObject, worstHealth } from '@cairn/health';
import type { ClusterClient } from '@cairn/kube';
import { describeRef, objectRefOf, refKey } from '../sync/resource-refs';
import { messageOf } from '../sync/sync-failure';

export interface AssessedHealth {
  /** The app's health: its worst resource's, with that resource named in the message. */
  health: HealthState;
  /** Health per resource, by refKey. */
  resources: Map<string, HealthState>;
}

/** Reads each resource live and assesses it; one that is absent is Missing. */
export async function assessResources(
  client: ClusterClient,
  refs: readonly ResourceRef[],
): Promise<AssessedHealth> {
  const resources = new Map<string, HealthState>();
  await Promise.all(
    refs.map(async (ref) => {
      resources.set(refKey(ref), await assessOne(client, ref));
    }),
  );
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

async function assessOne(client: ClusterClient, ref: ResourceRef): Promise<HealthState> {
  try {
    const live = await client.read(objectRefOf(ref));
    const { status, message } = assessHealth(live as KubeObject | undefined);
    return message ? { status, message } : { status };
  } catch (error) {
    return { status: 'Unknown', message: `cannot read it: ${messageOf(error)}` };
  }
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
