import { Command, decode, type Topology } from '@cairn/contracts';
import { testInfra } from '@cairn/testing';
import type { NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApplicationView } from '../applications/application-view';
import type { AuditRecordView } from '../audit/audit-trail';
import { type ApiClient, startTestApi } from '../testing/api-test-app';
import type { BulkResult } from './bulk-operations.service';

const SHOP_REPO = 'https://git.example.com/org/shop';

/**
 * Given applications on two agent clusters with labels (no reconciler runs: the api's part
 * is what is observed), operations across many of them at once: which apps a selector,
 * cluster or namespace selects, the command each one gets, and a result per app.
 */
describe('api: sync and refresh of every application a selector, cluster or namespace selects', () => {
  let api: ApiClient;
  let nc: NatsConnection;
  let topology: Topology;
  let stop: () => Promise<void>;
  const call: ApiClient['call'] = (...args) => api.call(...args);

  const manifest = (
    name: string,
    labels: Record<string, string> | undefined,
    cluster: string,
    namespace: string,
    repoURL = `https://git.example.com/org/${name}`,
  ) => ({
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name, namespace: 'argocd', ...(labels && { labels }) },
    spec: {
      project: 'default',
      source: { repoURL, path: name },
      destination: { name: cluster, namespace },
    },
  });

  /** The commands published while `action` runs, as the clusters' reconcilers would get them. */
  const commandsDuring = async <T>(action: () => Promise<T>) => {
    const commands: Command[] = [];
    const subscription = nc.subscribe(topology.subjects.filter('cmd'), {
      callback: (_error, message) => {
        commands.push(decode(Command, message.data));
      },
    });
    await nc.flush();
    const result = await action();
    await nc.flush();
    subscription.unsubscribe();
    return { result, commands };
  };

  const bulk = async (op: 'sync' | 'refresh', body: unknown) => {
    const { result, commands } = await commandsDuring(() =>
      call('POST', `/applications/${op}`, body),
    );
    return {
      statusCode: result.statusCode,
      items: (result.json() as { items?: BulkResult[] }).items ?? [],
      message: (result.json() as { message?: string }).message,
      commands,
    };
  };

  beforeAll(async () => {
    ({ api, nc, topology, stop } = await startTestApi(testInfra(), 'bulk'));
    for (const name of ['prod', 'edge']) {
      expect((await call('POST', '/clusters', { name, mode: 'agent' })).statusCode).toBe(201);
    }
    const apps = [
      manifest('web-a', { team: 'web', tier: 'frontend' }, 'prod', 'shop', SHOP_REPO),
      manifest('web-b', { team: 'web', tier: 'db' }, 'prod', 'shop-db', SHOP_REPO),
      manifest('api', { team: 'api' }, 'edge', 'shop'),
      manifest('batch', undefined, 'edge', 'jobs'),
    ];
    for (const app of apps) {
      expect((await call('POST', '/applications', app)).statusCode).toBe(201);
    }
  });

  afterAll(() => stop?.());

  it('keeps the labels of an Argo CD manifest, shows them, changes them on PUT and lists by them', async () => {
    const shown: ApplicationView = (await call('GET', '/applications/web-a')).json();
    expect(shown.metadata.labels).toEqual({ team: 'web', tier: 'frontend' });
    expect((await call('GET', '/applications/batch')).json().metadata.labels).toBeUndefined();

    const relabelled = manifest('batch', { team: 'ops' }, 'edge', 'jobs');
    expect((await call('PUT', '/applications/batch', relabelled)).statusCode).toBe(200);
    const listed = (await call('GET', '/applications?selector=team%20in%20(web,ops)')).json();
    expect(listed.items.map((app: ApplicationView) => app.metadata.name)).toEqual([
      'batch',
      'web-a',
      'web-b',
    ]);

    const badLabel = await call(
      'POST',
      '/applications',
      manifest('odd', { 'no spaces': 'x' }, 'prod', 'odd'),
    );
    expect(badLabel.statusCode).toBe(400);
    expect(badLabel.json().message).toMatch(/^metadata\.labels\.no spaces: label key "no spaces"/);
    const badSelector = await call('GET', '/applications?selector=team%20in%20web');
    expect(badSelector.statusCode).toBe(400);
    expect(badSelector.json().message).toMatch(/^selector: "team in web" is no label selector/);
  });

  it('syncs every app a label selector selects, and no other', async () => {
    const { statusCode, items, commands } = await bulk('sync', {
      selector: 'team=web,tier!=db',
    });

    expect(statusCode).toBe(200);
    expect(items).toEqual([{ name: 'web-a', result: 'started', operation: expect.any(String) }]);
    expect(commands).toEqual([
      expect.objectContaining({ op: 'sync', app: 'web-a', id: items[0].operation }),
    ]);
    expect(commands[0]).not.toHaveProperty('prune');
  });

  it('syncs every app of a cluster, with the prune and dryRun asked for', async () => {
    const { items, commands } = await bulk('sync', { cluster: 'edge', prune: true, dryRun: true });

    expect(items.map((item) => [item.name, item.result])).toEqual([
      ['api', 'started'],
      ['batch', 'started'],
    ]);
    expect(commands.map((command) => [command.app, command.op])).toEqual([
      ['api', 'sync'],
      ['batch', 'sync'],
    ]);
    expect(commands.every((c) => c.op === 'sync' && c.prune && c.dryRun)).toBe(true);
  });

  it('answers a conflict for each selected app whose operation still runs, naming it, and starts the others', async () => {
    const earlier = await bulk('sync', { cluster: 'prod', selector: 'tier=frontend' });
    expect(earlier.items.map((item) => item.result)).toEqual(['conflict']);

    const { statusCode, items, commands } = await bulk('sync', { namespace: 'shop' });
    expect(statusCode).toBe(200);
    expect(items.map((item) => [item.name, item.result])).toEqual([
      ['api', 'conflict'],
      ['web-a', 'conflict'],
    ]);
    expect(items[1].message).toMatch(
      /^application "web-a" has an operation in progress: sync [-0-9a-f]+, requested by admin/,
    );
    expect(commands).toEqual([]);

    const mixed = await bulk('sync', { cluster: 'prod', selector: 'team=web' });
    expect(mixed.items.map((item) => [item.name, item.result])).toEqual([
      ['web-a', 'conflict'],
      ['web-b', 'started'],
    ]);
    expect(mixed.commands.map((command) => command.app)).toEqual(['web-b']);
  });

  it('refreshes every app selected, polling each repository once', async () => {
    const polled: unknown[] = [];
    const poller = nc.subscribe(`${topology.root}.poll`, {
      callback: (_error, message) => {
        polled.push(message.json());
        message.respond(JSON.stringify({ polled: true, repository: 'shop' }));
      },
    });
    const { statusCode, items, commands } = await bulk('refresh', { selector: 'team=web' });
    poller.unsubscribe();

    expect(statusCode).toBe(200);
    // A refresh runs beside a queued sync: it only compares again.
    expect(items).toEqual([
      {
        name: 'web-a',
        result: 'started',
        operation: expect.any(String),
        poll: { polled: true, repository: 'shop' },
      },
      {
        name: 'web-b',
        result: 'started',
        operation: expect.any(String),
        poll: { polled: true, repository: 'shop' },
      },
    ]);
    expect(polled).toEqual([{ url: SHOP_REPO }]);
    expect(commands.map((command) => [command.app, command.op])).toEqual([
      ['web-a', 'refresh'],
      ['web-b', 'refresh'],
    ]);
  });

  it('selects nothing and changes nothing when no app matches', async () => {
    const { statusCode, items, commands } = await bulk('sync', { selector: 'team=nobody' });
    expect(statusCode).toBe(200);
    expect(items).toEqual([]);
    expect(commands).toEqual([]);
  });

  it('answers 400 naming the field without a filter or with a selector it cannot read', async () => {
    for (const body of [undefined, {}, { prune: true }]) {
      const { statusCode, message, commands } = await bulk('sync', body);
      expect(statusCode).toBe(400);
      expect(message).toMatch(/^selector: is required unless cluster or namespace is given/);
      expect(commands).toEqual([]);
    }
    const unreadable = await bulk('refresh', { selector: 'team in (web' });
    expect(unreadable.statusCode).toBe(400);
    expect(unreadable.message).toMatch(
      /^selector: "team in \(web" is no label selector: it ends where "\)" was expected/,
    );
    expect(unreadable.commands).toEqual([]);
    const wrongType = await bulk('sync', { cluster: 'prod', dryRun: 'yes' });
    expect(wrongType.statusCode).toBe(400);
    expect(wrongType.message).toMatch(/^dryRun: /);
  });

  it('records each app a bulk operation touched in the audit trail of that app', async () => {
    const items: AuditRecordView[] = (await call('GET', '/applications/web-a/audit')).json().items;
    const bulkRecords = items.filter((item) =>
      /^POST \/api\/v1\/applications\/(sync|refresh)$/.test(item.action),
    );
    expect(bulkRecords.map((item) => [item.action, item.outcome])).toEqual([
      ['POST /api/v1/applications/sync', 202],
      ['POST /api/v1/applications/sync', 409],
      ['POST /api/v1/applications/sync', 409],
      ['POST /api/v1/applications/sync', 409],
      ['POST /api/v1/applications/refresh', 202],
    ]);
    expect(bulkRecords[1].message).toMatch(/has an operation in progress/);
    // The bulk call itself is no call on an application named "sync".
    expect((await call('GET', '/applications/sync/audit')).json().items).toEqual([]);
  });
});
