import { KubeApiError } from './kube-api-error';
import type { KubeHttp } from './kube-http';

export interface ApiResource {
  /** The plural resource name, e.g. `deployments`. */
  name: string;
  kind: string;
  namespaced: boolean;
}

interface ApiResourceList {
  resources?: ApiResource[];
}

/**
 * Which kinds each group version serves, asked of the API server once per group version
 * and kept. "Not served" (404, or a kind missing from the list) is an answer; no answer at
 * all is an error, never taken for "not served": an unreachable cluster must not turn a
 * sync into a permanent "unknown kind" failure. Goes through KubeHttp, so it has the same
 * timeouts and the same view of whether the cluster is reachable as every other request.
 */
export class ApiDiscovery {
  private readonly lists = new Map<string, Promise<ApiResource[] | undefined>>();

  constructor(private readonly http: KubeHttp) {}

  /** The kind's resource, asking again once when it is not known: a CRD applied a moment ago adds kinds. */
  async lookup(apiVersion: string, kind: string): Promise<ApiResource | undefined> {
    const find = (resources: ApiResource[] | undefined) =>
      // Subresources (deployments/status) name the same kind; the resource itself has no slash.
      resources?.find((r) => r.kind === kind && !r.name.includes('/'));
    return (
      find(await this.resources(apiVersion)) ??
      find(await this.resources(apiVersion, { refresh: true }))
    );
  }

  private resources(
    apiVersion: string,
    opts: { refresh?: boolean } = {},
  ): Promise<ApiResource[] | undefined> {
    if (opts.refresh) this.lists.delete(apiVersion);
    let list = this.lists.get(apiVersion);
    if (!list) {
      const path = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
      list = this.http
        .json<ApiResourceList>('GET', path, { subject: `discovery of ${apiVersion}` })
        .then(
          (answer) => answer.resources ?? [],
          (error: unknown) => {
            if (error instanceof KubeApiError && error.statusCode === 404) return undefined;
            throw error;
          },
        );
      // Only answers are kept; a failed request is made again next time.
      const asked = list;
      asked.catch(() => this.lists.get(apiVersion) === asked && this.lists.delete(apiVersion));
      this.lists.set(apiVersion, asked);
    }
    return list;
  }
}
