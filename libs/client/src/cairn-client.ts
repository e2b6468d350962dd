import type { AppStatus } from '@cairn/contracts';

/** An application as the REST API shows it: Argo CD's shape. */
export interface ApplicationView {
  metadata: { name: string; labels?: Record<string, string> };
  spec: Record<string, unknown> & { destination: { name?: string; namespace?: string } };
  status: Partial<Omit<AppStatus, 'v' | 'app' | 'cluster'>> & {
    sync: { status: string; revision?: string };
    health: { status: string; message?: string };
  };
}

/** Which applications a bulk operation acts on; at least one is needed. */
export interface BulkSelection {
  /** A Kubernetes label selector on metadata.labels: `team=web,tier!=db`. */
  selector?: string;
  cluster?: string;
  namespace?: string;
}

/** One application's result of a bulk sync or refresh. */
export interface BulkResult {
  name: string;
  result: 'started' | 'conflict' | 'failed';
  operation?: string;
  message?: string;
}

/** A non-2xx answer, with the body the api sent (it names the field at fault). */
export class CairnApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
    method: string,
    path: string,
  ) {
    super(`${method} ${path}: ${status} ${typeof body === 'string' ? body : JSON.stringify(body)}`);
    this.name = 'CairnApiError';
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A small client of Cairn's REST API, for the demo, the CLI, tests and benchmarks. */
export class CairnClient {
  constructor(
    readonly baseUrl: string,
    private readonly token: string,
  ) {}

  async request<T>(
    method: string,
    path: string,
    body?: unknown,
    contentType = 'application/json',
  ): Promise<T> {
    const res = await fetch(`${this.baseUrl}/api/v1${path}`, {
      method,
      headers: {
        authorization: `Bearer ${this.token}`,
        ...(body !== undefined ? { 'content-type': contentType } : {}),
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    const parsed: unknown =
      text && res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text;
    if (!res.ok) throw new CairnApiError(res.status, parsed, method, path);
    return parsed as T;
  }

  createRepository(body: {
    url: string;
    username?: string;
    password?: string;
    pollIntervalSeconds?: number;
    webhookSecret?: string;
  }) {
    return this.request<{ id: string; url: string }>('POST', '/repositories', body);
  }

  createCluster(body: {
    name: string;
    kubeconfig?: string;
    server?: string;
    mode?: 'agent';
    config?: Record<string, unknown>;
  }) {
    return this.request<{ name: string }>('POST', '/clusters', body);
  }

  createApplication(body: { metadata: { name: string }; spec: Record<string, unknown> } | string) {
    return this.request<ApplicationView>(
      'POST',
      '/applications',
      body,
      typeof body === 'string' ? 'application/yaml' : 'application/json',
    );
  }

  getApplication(name: string) {
    return this.request<ApplicationView>('GET', `/applications/${encodeURIComponent(name)}`);
  }

  sync(name: string, body: { revision?: string; prune?: boolean; dryRun?: boolean } = {}) {
    return this.request<{ id: string }>(
      'POST',
      `/applications/${encodeURIComponent(name)}/sync`,
      body,
    );
  }

  refresh(name: string) {
    return this.request<{ id: string }>(
      'POST',
      `/applications/${encodeURIComponent(name)}/refresh`,
    );
  }

  /** Syncs every application the selection selects; one result each. */
  syncAll(body: BulkSelection & { prune?: boolean; dryRun?: boolean }) {
    return this.request<{ items: BulkResult[] }>('POST', '/applications/sync', body);
  }

  /** Refreshes every application the selection selects; one result each. */
  refreshAll(body: BulkSelection) {
    return this.request<{ items: BulkResult[] }>('POST', '/applications/refresh', body);
  }

  /** Polls the application until `done` holds; the last view is in the error otherwise. */
  async waitForApplication(
    name: string,
    done: (app: ApplicationView) => boolean,
    timeoutMs = 60_000,
    intervalMs = 250,
  ): Promise<ApplicationView> {
    const deadline = Date.now() + timeoutMs;
    let last: ApplicationView | undefined;
    while (Date.now() < deadline) {
      try {
        last = await this.getApplication(name);
        if (done(last)) return last;
      } catch (err) {
        if (!(err instanceof CairnApiError && err.status === 404)) throw err;
      }
      await sleep(intervalMs);
    }
    throw new Error(
      `application ${name}: condition not met within ${timeoutMs / 1000}s; last status: ${JSON.stringify(last?.status)}`,
    );
  }
}

export const isSyncedAndHealthy = (app: ApplicationView, revision?: string) =>
  app.status.sync.status === 'Synced' &&
  app.status.health.status === 'Healthy' &&
  (revision === undefined || app.status.sync.revision === revision);
