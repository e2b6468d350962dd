import type { KubeConfig } from '@kubernetes/client-node';
import { ApiDiscovery } from './api-discovery';
import { ClusterConnection } from './cluster-connection';
import { KubeApiError } from './kube-api-error';
import { KubeHttp } from './kube-http';

export { KubeApiError } from './kube-api-error';

/** The field manager that owns every field Cairn declares. */
export const FIELD_MANAGER = 'cairn';

/** Identity of an object: enough to read or delete it. */
export interface ObjectRef {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string };
}

/** An object as the API server sends it: plain JSON, nothing converted or dropped. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    uid?: string;
    resourceVersion?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    [field: string]: unknown;
  };
  [field: string]: unknown;
}

/** How the API serves a kind: its plural resource name and whether it is namespaced. */
export interface ServedResource {
  apiVersion: string;
  kind: string;
  plural: string;
  namespaced: boolean;
}

export function describeObject(ref: ObjectRef): string {
  return `${ref.kind} ${ref.metadata.namespace ? `${ref.metadata.namespace}/` : ''}${ref.metadata.name}`;
}

/**
 * Everything Cairn does to one cluster's objects: server-side apply (as field manager
 * `cairn`, optionally as a dry run; `force` takes ownership of fields another manager set
 * before, which is what git being the source of truth means), read, delete, and how a kind
 * is served. Objects travel as raw JSON. Discovery is cached per client, and refreshed once
 * when a kind is unknown, since a CRD applied a moment ago adds kinds. `connection` says
 * whether the API server can be reached: every request that gets no answer tells it.
 */
export class ClusterClient {
  readonly http: KubeHttp;
  readonly connection: ClusterConnection;
  private readonly discovery: ApiDiscovery;

  constructor(readonly kubeconfig: KubeConfig) {
    this.http = new KubeHttp(kubeconfig, { onUnanswered: () => this.connection.noteUnanswered() });
    this.connection = new ClusterConnection(
      kubeconfig.getCurrentCluster()?.server ?? '(no server in the kubeconfig)',
      () => this.http.probeReadiness(),
    );
    this.discovery = new ApiDiscovery(this.http);
  }

  /**
   * How the cluster serves the kind; throws a 404 KubeApiError when it does not, and the
   * request's own error when the cluster did not answer.
   */
  async resourceOf(apiVersion: string, kind: string): Promise<ServedResource> {
    const resource = await this.discovery.lookup(apiVersion, kind);
    if (!resource)
      throw new KubeApiError(404, `the cluster does not serve ${kind} in ${apiVersion}`);
    return { apiVersion, kind, plural: resource.name, namespaced: resource.namespaced };
  }

  /** Whether objects of this kind live in a namespace; throws when the cluster does not know the kind. */
  async isNamespaced(apiVersion: string, kind: string): Promise<boolean> {
    return (await this.resourceOf(apiVersion, kind)).namespaced;
  }

  /** The URL path of a kind's collection: in one namespace, or across all of them. */
  static collectionPath(resource: ServedResource, namespace?: string): string {
    const root = resource.apiVersion.includes('/')
      ? `/apis/${resource.apiVersion}`
      : `/api/${resource.apiVersion}`;
    const scope =
      resource.namespaced && namespace ? `/namespaces/${encodeURIComponent(namespace)}` : '';
    return `${root}${scope}/${resource.plural}`;
  }

  /** The server's answer is the object as stored (or as it would be, for a dry run). */
  async apply<T = KubeObject>(object: ObjectRef, opts: { dryRun?: boolean } = {}): Promise<T> {
    return this.http.json<T>('PATCH', await this.objectPath(object), {
      query: { fieldManager: FIELD_MANAGER, force: true, dryRun: opts.dryRun ? 'All' : undefined },
      body: object,
      contentType: 'application/apply-patch+yaml',
      subject: describeObject(object),
    });
  }

  /** The live object, or undefined when it does not exist. */
  async read<T = KubeObject>(ref: ObjectRef): Promise<T | undefined> {
    try {
      return await this.http.json<T>('GET', await this.objectPath(ref), {
        subject: describeObject(ref),
      });
    } catch (error) {
      if (error instanceof KubeApiError && error.statusCode === 404) return undefined;
      throw error;
    }
  }

  /**
   * Deletes with background propagation; an object already gone counts as deleted. With
   * `uid`, only that very object: one recreated under the same name since is left alone
   * (the API server answers 409).
   */
  async delete(ref: ObjectRef, opts: { uid?: string } = {}): Promise<void> {
    try {
      await this.http.json('DELETE', await this.objectPath(ref), {
        body: {
          apiVersion: 'v1',
          kind: 'DeleteOptions',
          propagationPolicy: 'Background',
          ...(opts.uid && { preconditions: { uid: opts.uid } }),
        },
        subject: describeObject(ref),
      });
    } catch (error) {
      if (!(error instanceof KubeApiError && error.statusCode === 404)) throw error;
    }
  }

  private async objectPath(ref: ObjectRef): Promise<string> {
    const resource = await this.resourceOf(ref.apiVersion, ref.kind);
    const namespace = resource.namespaced
      ? (ref.metadata.namespace ?? this.defaultNamespace())
      : undefined;
    return `${ClusterClient.collectionPath(resource, namespace)}/${encodeURIComponent(ref.metadata.name)}`;
  }

  private defaultNamespace(): string {
    return (
      this.kubeconfig.getContextObject(this.kubeconfig.getCurrentContext())?.namespace ?? 'default'
    );
  }
}
