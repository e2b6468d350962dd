import { setTimeout as sleep } from 'node:timers/promises';
import type { KubeObject } from './cluster-client';
import { KubeApiError } from './kube-api-error';
import type { Query } from './kube-http';

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

/** How a ResourceWatch reaches the API server; KubeHttp in production. */
export interface WatchTransport {
  list(
    path: string,
    query: Query,
  ): Promise<{ items: KubeObject[]; resourceVersion: string; continue?: string }>;
  /** Resolves when the server ends the watch; rejects when it breaks or is refused. */
  watch(
    path: string,
    query: Query,
    onEvent: (event: unknown) => void,
    signal: AbortSignal,
  ): Promise<void>;
}

export interface WatchOptions {
  labelSelector: string;
  /** Asked of the server, which then ends the watch; it is resumed from where it was. */
  timeoutSeconds: number;
  /** Delay before resuming after a failure, doubling up to `retryMaxMs`. */
  retryBaseMs: number;
  retryMaxMs: number;
  onError: (error: Error, attempt: number) => void;
}

export const DEFAULT_WATCH_OPTIONS: Omit<WatchOptions, 'labelSelector' | 'onError'> = {
  timeoutSeconds: 300,
  retryBaseMs: 500,
  retryMaxMs: 30_000,
};

const PAGE_SIZE = 500;

/**
 * List, then watch, one kind across all namespaces (one `path`), keeping every selected
 * object in memory. A watch that ends or breaks is resumed from the last resource version
 * seen (bookmarks keep it fresh), so a steady state costs one open watch and no list; only
 * when the server says that version is gone (410) is the kind listed again, and the
 * difference with what was kept is told as events. `synced` settles after the first list.
 */
export class ResourceWatch {
  readonly synced: Promise<void>;
  private readonly objects = new Map<string, KubeObject>();
  private readonly abort = new AbortController();
  /** Ends the wait before a retry; a new one for each wait. */
  private backoff?: AbortController;
  private resourceVersion?: string;
  private markSynced!: () => void;
  private failSync!: (error: Error) => void;
  private hasSynced = false;

  constructor(
    readonly path: string,
    private readonly transport: WatchTransport,
    private readonly onEvent: (type: WatchEventType, object: KubeObject) => void,
    private readonly options: WatchOptions,
  ) {
    this.synced = new Promise((resolve, reject) => {
      this.markSynced = resolve;
      this.failSync = reject;
    });
    this.synced.catch(() => undefined);
    void this.run();
  }

  get(namespace: string | undefined, name: string): KubeObject | undefined {
    return this.objects.get(key(namespace, name));
  }

  list(): KubeObject[] {
    return [...this.objects.values()];
  }

  /** The resource version the kept objects are current as of (list, last event or bookmark). */
  get seenUpTo(): string | undefined {
    return this.resourceVersion;
  }

  stop(): void {
    this.abort.abort();
  }

  /** Ends a wait before resuming (the server is known to be back): resumes at once. */
  retryNow(): void {
    this.backoff?.abort();
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (!this.abort.signal.aborted) {
      try {
        if (this.resourceVersion === undefined) await this.relist();
        const started = Date.now();
        await this.watchFrom(this.resourceVersion as string);
        failures = 0;
        // A server that ends every watch at once must not be asked again in a tight loop.
        if (Date.now() - started < 1_000)
          await sleep(this.options.retryBaseMs, undefined, { signal: this.abort.signal }).catch(
            () => undefined,
          );
      } catch (error) {
        if (this.abort.signal.aborted) return;
        if (isGone(error)) {
          this.resourceVersion = undefined; // too old: list again, at once
          continue;
        }
        failures++;
        this.options.onError(error as Error, failures);
        if (!this.hasSynced) return this.failSync(error as Error);
        const delay = Math.min(
          this.options.retryBaseMs * 2 ** (failures - 1),
          this.options.retryMaxMs,
        );
        this.backoff = new AbortController();
        await sleep(delay, undefined, {
          signal: AbortSignal.any([this.abort.signal, this.backoff.signal]),
        }).catch(() => undefined);
        this.backoff = undefined;
      }
    }
  }

  private async relist(): Promise<void> {
    const fresh = new Map<string, KubeObject>();
    let next: string | undefined;
    let resourceVersion = '';
    do {
      const page = await this.transport.list(this.path, {
        labelSelector: this.options.labelSelector,
        limit: PAGE_SIZE,
        continue: next,
      });
      for (const object of page.items) fresh.set(keyOf(object), object);
      resourceVersion = page.resourceVersion;
      next = page.continue || undefined;
    } while (next);
    if (this.abort.signal.aborted) return;
    for (const [k, old] of this.objects) {
      if (fresh.has(k)) continue;
      this.objects.delete(k);
      this.onEvent('DELETED', old);
    }
    for (const [k, object] of fresh) {
      const old = this.objects.get(k);
      this.objects.set(k, object);
      if (!old) this.onEvent('ADDED', object);
      else if (old.metadata.resourceVersion !== object.metadata.resourceVersion)
        this.onEvent('MODIFIED', object);
    }
    this.resourceVersion = resourceVersion;
    this.hasSynced = true;
    this.markSynced();
  }

  private async watchFrom(resourceVersion: string): Promise<void> {
    let gone: Error | undefined;
    const connection = new AbortController();
    const stopConnection = () => connection.abort();
    this.abort.signal.addEventListener('abort', stopConnection);
    try {
      await this.transport.watch(
        this.path,
        {
          watch: true,
          allowWatchBookmarks: true,
          resourceVersion,
          labelSelector: this.options.labelSelector,
          timeoutSeconds: this.options.timeoutSeconds,
        },
        (raw) => {
          const event = raw as {
            type?: string;
            object?: KubeObject & { code?: number; message?: string };
          };
          const object = event.object;
          if (!object) return;
          if (event.type === 'ERROR') {
            gone = new KubeApiError(object.code ?? 500, object.message ?? 'watch error');
            connection.abort();
            return;
          }
          this.resourceVersion = object.metadata?.resourceVersion ?? this.resourceVersion;
          if (event.type === 'BOOKMARK') return;
          const k = keyOf(object);
          if (event.type === 'DELETED') {
            this.objects.delete(k);
            this.onEvent('DELETED', object);
          } else if (event.type === 'ADDED' || event.type === 'MODIFIED') {
            this.objects.set(k, object);
            this.onEvent(event.type, object);
          }
        },
        connection.signal,
      );
    } catch (error) {
      if (!gone) throw error;
    } finally {
      this.abort.signal.removeEventListener('abort', stopConnection);
    }
    if (gone) throw gone;
  }
}

function isGone(error: unknown): boolean {
  return error instanceof KubeApiError && error.statusCode === 410;
}

function key(namespace: string | undefined, name: string): string {
  return `${namespace ?? ''}/${name}`;
}

function keyOf(object: KubeObject): string {
  return key(object.metadata.namespace, object.metadata.name);
}
