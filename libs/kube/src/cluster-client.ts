import {
  type KubeConfig,
  type KubernetesObject,
  KubernetesObjectApi,
  PatchStrategy,
} from '@kubernetes/client-node';

/** The field manager that owns every field Cairn declares. */
export const FIELD_MANAGER = 'cairn';

/** Identity of an object: enough to read or delete it. */
export interface ObjectRef {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string };
}

/** An API error with the server's own message, which names the field at fault. */
export class KubeApiError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
  ) {
    super(message);
    this.name = 'KubeApiError';
  }
}

function describe(ref: ObjectRef): string {
  return `${ref.kind} ${ref.metadata.namespace ? `${ref.metadata.namespace}/` : ''}${ref.metadata.name}`;
}

/** Turns client-node's ApiException (status code + JSON body) into a KubeApiError. */
function toKubeError(err: unknown, ref: ObjectRef): Error {
  const e = err as { code?: number; body?: unknown; message?: string };
  if (typeof e?.code !== 'number') return err as Error;
  let message = e.message ?? 'request failed';
  try {
    const body =
      typeof e.body === 'string'
        ? (JSON.parse(e.body) as { message?: string })
        : (e.body as { message?: string });
    if (body?.message) message = body.message;
  } catch {
    // not JSON: keep the client's message
  }
  return new KubeApiError(e.code, `${describe(ref)}: ${message}`);
}

/** Exposes client-node's cached API discovery, which KubernetesObjectApi keeps protected. */
class DiscoveringObjectApi extends KubernetesObjectApi {
  lookup(apiVersion: string, kind: string) {
    return this.resource(apiVersion, kind);
  }
  forgetDiscovery(): void {
    this.apiVersionResourceCache = {};
  }
  useNamespaceOf(kc: KubeConfig): void {
    this.setDefaultNamespace(kc);
  }
}

/**
 * Everything Cairn does to one cluster's objects: server-side apply (as field manager
 * `cairn`, optionally as a dry run; `force` takes ownership of fields another manager set
 * before, which is what git being the source of truth means), read, delete, and whether a kind is namespaced.
 * Discovery is cached per client, and refreshed once when a kind is unknown, since a
 * CRD applied a moment ago adds kinds.
 */
export class ClusterClient {
  private readonly api: DiscoveringObjectApi;

  constructor(readonly kubeconfig: KubeConfig) {
    this.api = kubeconfig.makeApiClient(DiscoveringObjectApi);
    this.api.useNamespaceOf(kubeconfig);
  }

  /** Whether objects of this kind live in a namespace; throws when the cluster does not know the kind. */
  async isNamespaced(apiVersion: string, kind: string): Promise<boolean> {
    const find = () => this.api.lookup(apiVersion, kind).catch(() => undefined);
    let resource = await find();
    if (!resource) {
      this.api.forgetDiscovery();
      resource = await find();
    }
    if (!resource)
      throw new KubeApiError(404, `the cluster does not serve ${kind} in ${apiVersion}`);
    return resource.namespaced;
  }

  async apply<T extends KubernetesObject>(object: T, opts: { dryRun?: boolean } = {}): Promise<T> {
    try {
      return await this.api.patch(
        object,
        undefined,
        opts.dryRun ? 'All' : undefined,
        FIELD_MANAGER,
        true,
        PatchStrategy.ServerSideApply,
      );
    } catch (err) {
      throw toKubeError(err, object as ObjectRef);
    }
  }

  /** The live object, or undefined when it does not exist. */
  async read<T extends KubernetesObject>(ref: ObjectRef): Promise<T | undefined> {
    try {
      return (await this.api.read(ref as Parameters<KubernetesObjectApi['read']>[0])) as T;
    } catch (err) {
      const error = toKubeError(err, ref);
      if (error instanceof KubeApiError && error.statusCode === 404) return undefined;
      throw error;
    }
  }

  /** Deletes with background propagation; an object already gone counts as deleted. */
  async delete(ref: ObjectRef): Promise<void> {
    try {
      await this.api.delete(
        ref as Parameters<KubernetesObjectApi['delete']>[0],
        undefined,
        undefined,
        undefined,
        undefined,
        'Background',
      );
    } catch (err) {
      const error = toKubeError(err, ref);
      if (!(error instanceof KubeApiError && error.statusCode === 404)) throw error;
    }
  }
}
