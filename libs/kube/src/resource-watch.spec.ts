import { describe, expect, it } from 'vitest';
import type { KubeObject } from './cluster-client';
import { KubeApiError } from './kube-api-error';
import type { Query } from './kube-http';
import { ResourceWatch, type WatchEventType, type WatchTransport } from './resource-watch';

const cm = (name: string, rv: string, namespace = 'shop'): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace, resourceVersion: rv },
});

type WatchScript = (emit: (event: unknown) => void, signal: AbortSignal) => Promise<void>;

/**
 * The API server's side, scripted: each list answers the next listing, each watch plays
 * the next script. Records what was asked, which is what these tests assert on.
 */
class ScriptedServer implements WatchTransport {
  readonly requests: string[] = [];
  constructor(
    private readonly lists: KubeObject[][],
    private readonly watches: WatchScript[],
  ) {}

  async list(_path: string, _query: Query) {
    this.requests.push('list');
    const items = this.lists.shift() ?? [];
    const rv = String(Math.max(0, ...items.map((i) => Number(i.metadata.resourceVersion))));
    return { items, resourceVersion: rv };
  }

  async watch(_path: string, query: Query, onEvent: (e: unknown) => void, signal: AbortSignal) {
    this.requests.push(`watch from ${query.resourceVersion}`);
    const script =
      this.watches.shift() ??
      ((_, s) => new Promise<void>((r) => s.addEventListener('abort', () => r())));
    await script(onEvent, signal);
  }
}

function started(server: ScriptedServer, retryMs = 1) {
  const events: Array<[WatchEventType, string, string | undefined]> = [];
  const errors: string[] = [];
  const watch = new ResourceWatch(
    '/api/v1/configmaps',
    server,
    (type, object) => events.push([type, object.metadata.name, object.metadata.resourceVersion]),
    {
      labelSelector: 'cairn.dev/app',
      timeoutSeconds: 300,
      retryBaseMs: retryMs,
      retryMaxMs: retryMs,
      onError: (error) => errors.push(error.message),
    },
  );
  return { watch, events, errors };
}

const until = async (check: () => boolean) => {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 5));
  expect(check()).toBe(true);
};

describe('ResourceWatch', () => {
  it('lists once, then follows the watch from the list resource version', async () => {
    const server = new ScriptedServer(
      [[cm('a', '5')]],
      [
        async (emit) => {
          emit({ type: 'ADDED', object: cm('b', '6') });
          emit({ type: 'MODIFIED', object: cm('a', '7') });
          emit({ type: 'DELETED', object: cm('b', '8') });
        },
      ],
    );
    const { watch, events } = started(server);
    await watch.synced;
    await until(() => events.length === 4);
    expect(events).toEqual([
      ['ADDED', 'a', '5'],
      ['ADDED', 'b', '6'],
      ['MODIFIED', 'a', '7'],
      ['DELETED', 'b', '8'],
    ]);
    expect(watch.get('shop', 'a')?.metadata.resourceVersion).toBe('7');
    expect(watch.get('shop', 'b')).toBeUndefined();
    watch.stop();
  });

  it('resumes an ended or broken watch from the last version seen, bookmarks included, without listing', async () => {
    const server = new ScriptedServer(
      [[cm('a', '5')]],
      [
        async (emit) => emit({ type: 'MODIFIED', object: cm('a', '9') }),
        async (emit) => {
          emit({ type: 'BOOKMARK', object: { metadata: { resourceVersion: '12' } } });
          throw new Error('connection reset');
        },
      ],
    );
    const { watch, errors } = started(server);
    await until(() => server.requests.length === 4);
    expect(server.requests).toEqual(['list', 'watch from 5', 'watch from 9', 'watch from 12']);
    expect(errors).toEqual(['connection reset']);
    watch.stop();
  });

  it('resumes at once, not after its backoff, when told the server is back', async () => {
    const server = new ScriptedServer(
      [[cm('a', '5')]],
      [
        async (emit) => {
          emit({ type: 'MODIFIED', object: cm('a', '9') });
          throw new Error('connect ECONNREFUSED 127.0.0.1:6443');
        },
      ],
    );
    const { watch, errors } = started(server, 60_000);
    await until(() => errors.length === 1);
    expect(server.requests).toEqual(['list', 'watch from 5']);

    watch.retryNow();
    await until(() => server.requests.length === 3);
    expect(server.requests[2]).toBe('watch from 9');
    watch.stop();
  });

  it('lists again when the version is gone (410), telling what changed meanwhile', async () => {
    const server = new ScriptedServer(
      [
        [cm('a', '5'), cm('b', '5')],
        [cm('a', '20'), cm('c', '21'), cm('b', '5')],
      ],
      [
        async () => {
          throw new KubeApiError(410, 'too old resource version: 5 (15)');
        },
      ],
    );
    const { watch, events } = started(server);
    await until(() => server.requests.length >= 4);
    expect(server.requests.slice(0, 4)).toEqual(['list', 'watch from 5', 'list', 'watch from 21']);
    expect(events.slice(2)).toEqual([
      ['MODIFIED', 'a', '20'],
      ['ADDED', 'c', '21'],
    ]);
    watch.stop();
  });

  it('lists again on a 410 sent as an ERROR event within the watch, and reports deletions it missed', async () => {
    const server = new ScriptedServer(
      [[cm('a', '5'), cm('b', '5')], [cm('a', '5')]],
      [async (emit) => emit({ type: 'ERROR', object: { code: 410, message: 'too old' } })],
    );
    const { watch, events } = started(server);
    await until(() => events.length === 3);
    expect(events[2]).toEqual(['DELETED', 'b', '5']);
    expect(server.requests.slice(0, 3)).toEqual(['list', 'watch from 5', 'list']);
    watch.stop();
  });

  it('rejects `synced` when the first list fails, so the caller can say which kind', async () => {
    const server = new ScriptedServer([], []);
    server.list = async () => {
      throw new KubeApiError(403, 'configmaps is forbidden');
    };
    const { watch } = started(server);
    await expect(watch.synced).rejects.toThrow('configmaps is forbidden');
  });
});
