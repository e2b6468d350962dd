import {
  ClusterClient,
  type KubeObject,
  type ObjectRef,
  type ServedResource,
} from './cluster-client';
import {
  DEFAULT_WATCH_OPTIONS,
  ResourceWatch,
  type WatchEventType,
  type WatchTransport,
} from './resource-watch';

/** A kind to keep in the cache, by its exact apiVersion. */
export interface ResourceKind {
  apiVersion: string;
  kind: string;
}

export interface CacheEvent {
  type: WatchEventType;
  object: KubeObject;
}

export interface LiveStateCacheOptions {
  /** Which objects to keep: e.g. `cairn.dev/app`, every object carrying Cairn's app label. */
  labelSelector: string;
  /** Told when a watch fails; it is retried on its own. */
  onWatchError?: (kind: ResourceKind, error: Error, attempt: number) => void;
  timeoutSeconds?: number;
}

/**
 * The live objects of one cluster that carry a label, kept current by one watch per kind
 * across all namespaces (never one per namespace). Reads are answered from memory; the
 * API server is asked only to start a kind (discovery, one list) and to resume a watch.
 * Listeners hear of every change, which is how drift and health changes are noticed.
 */
export class LiveStateCache {
  private readonly watches = new Map<string, { watch: ResourceWatch; resource: ServedResource }>();
  private readonly starting = new Map<string, Promise<void>>();
  private readonly listeners = new Set<(event: CacheEvent) => void>();
  private readonly stopFollowing: () => void;
  private stopped = false;

  constructor(
    private readonly client: ClusterClient,
    private readonly options: LiveStateCacheOptions,
  ) {
    // Watches broken by an outage resume from where they were as soon as the server is back,
    // not after their backoff: what changed meanwhile arrives as events (or by a relist).
    this.stopFollowing = client.connection.onChange((state) => {
      if (state.reachable) for (const { watch } of this.watches.values()) watch.retryNow();
    });
  }

  /**
   * Starts watching the kinds not watched yet and resolves once each is listed. A kind that
   * cannot be listed (not served, forbidden) rejects, naming it, and is tried afresh next time.
   */
  async ensure(kinds: readonly ResourceKind[]): Promise<void> {
    const wanted = new Map(kinds.map((k) => [kindKey(k), k]));
    await Promise.all([...wanted.entries()].map(([key, kind]) => this.start(key, kind)));
  }

  /** Whether the kind is watched and listed: then `get` answers for it. */
  isWatched(kind: ResourceKind): boolean {
    return this.watches.has(kindKey(kind)) && !this.starting.has(kindKey(kind));
  }

  /** The live object, or undefined when it is absent (or carries no label, or its kind is not watched). */
  get(ref: ObjectRef): KubeObject | undefined {
    const entry = this.watches.get(kindKey(ref));
    if (!entry) return undefined;
    return entry.watch.get(
      entry.resource.namespaced ? ref.metadata.namespace : undefined,
      ref.metadata.name,
    );
  }

  /**
   * The resource version the kind's objects are current as of: an object absent from the
   * cache whose version is newer than this may simply not have been heard of yet.
   */
  seenUpTo(kind: ResourceKind): string | undefined {
    return this.watches.get(kindKey(kind))?.watch.seenUpTo;
  }

  watchedKinds(): ResourceKind[] {
    return [...this.watches.values()].map(({ resource }) => ({
      apiVersion: resource.apiVersion,
      kind: resource.kind,
    }));
  }

  onChange(listener: (event: CacheEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  stop(): void {
    this.stopped = true;
    this.stopFollowing();
    for (const { watch } of this.watches.values()) watch.stop();
    this.watches.clear();
  }

  private start(key: string, kind: ResourceKind): Promise<void> {
    if (this.stopped) return Promise.reject(new Error('the live state cache is stopped'));
    const started = this.starting.get(key);
    if (started) return started;
    if (this.watches.has(key)) return Promise.resolve();
    const starting = (async () => {
      const resource = await this.client.resourceOf(kind.apiVersion, kind.kind);
      const watch = new ResourceWatch(
        ClusterClient.collectionPath(resource),
        this.transportFor(resource),
        (type, object) => this.emit({ type, object }),
        {
          ...DEFAULT_WATCH_OPTIONS,
          timeoutSeconds: this.timeoutSeconds,
          labelSelector: this.options.labelSelector,
          onError: (error, attempt) => this.options.onWatchError?.(kind, error, attempt),
        },
      );
      this.watches.set(key, { watch, resource });
      try {
        await watch.synced;
      } catch (error) {
        watch.stop();
        this.watches.delete(key);
        throw new Error(
          `cannot watch ${kind.kind} (${kind.apiVersion}): ${(error as Error).message}`,
        );
      }
      if (this.stopped) watch.stop();
    })().finally(() => this.starting.delete(key));
    this.starting.set(key, starting);
    return starting;
  }

  private transportFor(resource: ServedResource): WatchTransport {
    const { http } = this.client;
    const idleMs = (this.timeoutSeconds + 30) * 1000;
    return {
      list: async (path, query) => {
        const list = await http.json<KubeList>('GET', path, { query, subject: `list ${path}` });
        // Items of a list carry no kind, those of a watch do: give them theirs, so both look alike.
        const { apiVersion, kind } = resource;
        return {
          items: (list.items ?? []).map((item) => ({ ...item, apiVersion, kind })),
          resourceVersion: list.metadata?.resourceVersion ?? '',
          continue: list.metadata?.continue,
        };
      },
      watch: (path, query, onEvent, signal) =>
        http.stream(path, query, onEvent, { signal, idleMs, subject: `watch ${path}` }),
    };
  }

  private get timeoutSeconds(): number {
    return this.options.timeoutSeconds ?? DEFAULT_WATCH_OPTIONS.timeoutSeconds;
  }

  private emit(event: CacheEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch {
        // a listener's failure is its own; the others still hear of the change
      }
    }
  }
}

interface KubeList {
  items?: KubeObject[];
  metadata?: { resourceVersion?: string; continue?: string };
}

function kindKey(kind: { apiVersion: string; kind: string }): string {
  return `${kind.apiVersion}/${kind.kind}`;
}
