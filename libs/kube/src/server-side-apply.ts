import {
  type KubeConfig,
  type KubernetesObject,
  KubernetesObjectApi,
  PatchStrategy,
} from '@kubernetes/client-node';

/** The field manager that owns every field Cairn declares. */
export const FIELD_MANAGER = 'cairn';

export interface ApplyOptions {
  /** Validate and default on the server without persisting anything. */
  dryRun?: boolean;
}

/**
 * Server-side applies one object as Cairn's field manager. `force` takes ownership of
 * fields another manager set before, which is what git being the source of truth means.
 */
export async function serverSideApply<T extends KubernetesObject>(
  kc: KubeConfig,
  object: T,
  opts: ApplyOptions = {},
): Promise<T> {
  const api = KubernetesObjectApi.makeApiClient(kc);
  return api.patch(
    object,
    undefined,
    opts.dryRun ? 'All' : undefined,
    FIELD_MANAGER,
    true,
    PatchStrategy.ServerSideApply,
  );
}

export async function readObject<T extends KubernetesObject>(
  kc: KubeConfig,
  ref: KubernetesObject,
): Promise<T> {
  const api = KubernetesObjectApi.makeApiClient(kc);
  return (await api.read(ref as Parameters<typeof api.read>[0])) as T;
}
