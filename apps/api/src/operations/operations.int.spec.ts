import { type AppEvent, Command, decode, type Topology } from '@cairn/contracts';
import { Registry } from '@cairn/registry';
import { testInfra } from '@cairn/testing';
import { jetstream } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApplicationView } from '../applications/application-view';
import type { HistoryEntryView } from '../history/history-view';
import { type ApiClient, startTestApi } from '../testing/api-test-app';

const [A, B, C] = ['a', 'b', 'c'].map((c) => c.repeat(40));
const digestOf = (revision: string) => `sha256:${revision[0].repeat(64)}`;

/**
 * Given applications on an agent cluster whose reconciler reports through JetStream (this
 * test publishes what it would), history, rollback, refresh, delete and audit as users
 * see them through the api, and the commands the api sends.
 */
describe('api: history and operations of an application', () => {
  let api: ApiClient;
  let nc: NatsConnection;
  let topology: Topology;
  let registry: Registry;
  let stop: () => Promise<void>;
  const call: ApiClient['call'] = (...args) => api.call(...args);

  const manifest = (name: string, spec: Record<string, unknown> = {}) => ({
    metadata: { name },
    spec: {
      source: { repoURL: `https://git.example.com/org/${name}`, path: '.' },
      destination: { name: 'prod', namespace: name },
      syncPolicy: { automated: { prune: true, selfHeal: true } },
      ...spec,
    },
  });

  const report = async (app: string, type: AppEvent['type'], fields: Partial<AppEvent>) => {
    const event: AppEvent = {
      v: 1,
      type,
      app,
      cluster: 'prod',
      message: `${type} for test`,
      time: new Date().toISOString(),
      ...fields,
    };
    await jetstream(nc).publish(topology.subjects.events('prod', app), JSON.stringify(event));
  };

  /** A sync the reconciler ran to the end, as its events tell it. */
  const synced = async (app: string, revision: string, digest = true) => {
    await report(app, 'SyncStarted', { revision });
    await report(app, 'SyncSucceeded', {
      revision,
      ...(digest && { bundleDigest: digestOf(revision) }),
    });
  };

  const history = async (app: string, count: number) =>
    (
      await api.waitFor<{ items: HistoryEntryView[] }>(
        `/applications/${app}/history`,
        (body) => body.items?.length === count,
      )
    ).items;

  /** The next command published for an app, while `action` runs. */
  const nextCommand = async (app: string, action: () => Promise<unknown>) => {
    const subscription = nc.subscribe(topology.subjects.command('prod', app), {
      max: 1,
      timeout: 5_000,
    });
    const result = await action();
    for await (const message of subscription)
      return { result, command: decode(Command, message.data) };
    throw new Error(`no command for ${app}`);
  };

  beforeAll(async () => {
    ({ api, nc, topology, stop } = await startTestApi(testInfra(), 'operations'));
    registry = await Registry.open(nc, topology);
    expect((await call('POST', '/clusters', { name: 'prod', mode: 'agent' })).statusCode).toBe(201);
    for (const app of ['web', 'doomed', 'kept']) {
      expect((await call('POST', '/applications', manifest(app))).statusCode).toBe(201);
    }
    expect(
      (await call('POST', '/applications', manifest('short', { revisionHistoryLimit: 2 })))
        .statusCode,
    ).toBe(201);
  });

  afterAll(async () => {
    registry?.close();
    await stop?.();
  });

  it('records every completed sync with its revision, bundle, times and result, newest first', async () => {
    await synced('web', A);
    await synced('web', B);
    // A dry run changes nothing, so it is no revision to return to.
    await report('web', 'SyncSucceeded', { revision: C, reason: 'DryRun' });
    await report('web', 'SyncStarted', { revision: C });
    await report('web', 'SyncFailed', { revision: C, reason: 'ApplyFailed' });

    const items = await history('web', 3);
    expect(items.map((entry) => [entry.id, entry.revision, entry.result])).toEqual([
      [3, C, 'Failed'],
      [2, B, 'Succeeded'],
      [1, A, 'Succeeded'],
    ]);
    expect(items[1]).toMatchObject({ bundleDigest: digestOf(B), initiatedBy: 'automated' });
    expect(Date.parse(items[1].startedAt ?? '')).toBeLessThanOrEqual(
      Date.parse(items[1].finishedAt),
    );
    const shown: ApplicationView = (await call('GET', '/applications/web')).json();
    expect(shown.status.history.map((entry) => entry.id)).toEqual([3, 2, 1]);
    expect(Object.keys(shown.status.history[0]).sort()).toEqual([
      'deployedAt',
      'id',
      'initiatedBy',
      'revision',
    ]);
  });

  it('keeps the newest spec.revisionHistoryLimit entries', async () => {
    for (const revision of [A, B, C]) await synced('short', revision);
    await api.waitFor<{ items: HistoryEntryView[] }>(
      '/applications/short/history',
      (body) => body.items[0]?.id === 3,
    );
    const items = (await call('GET', '/applications/short/history')).json().items;
    expect(items.map((entry: HistoryEntryView) => entry.revision)).toEqual([C, B]);
  });

  it('rolls back to an entry: its exact bundle, automated sync off, and shows it', async () => {
    const { result, command } = await nextCommand('web', () =>
      call('POST', '/applications/web/rollback', { id: 1 }),
    );
    expect((result as { statusCode: number }).statusCode).toBe(202);
    expect(command).toMatchObject({
      op: 'rollback',
      historyId: 1,
      revision: A,
      bundleDigest: digestOf(A),
      prune: true,
      initiatedBy: 'admin',
    });
    const shown: ApplicationView = (await call('GET', '/applications/web')).json();
    expect(shown.status.rolledBack).toEqual({ id: 1, revision: A });
    // The spec as the user wrote it; the reconciler's copy has automated sync off.
    expect(shown.spec.syncPolicy.automated).toBeDefined();
    expect(registry.applications.get('web')?.spec.syncPolicy.automated).toBeUndefined();
  });

  it('refuses a second operation while one is queued, naming it', async () => {
    const second = await call('POST', '/applications/web/sync', {});
    expect(second.statusCode).toBe(409);
    expect(second.json().message).toMatch(/rollback .* requested by admin/);
  });

  it('credits the sync the rollback ran to the user who asked for it', async () => {
    await synced('web', A);
    const [newest] = await history('web', 4);
    expect(newest).toMatchObject({ id: 4, revision: A, initiatedBy: 'admin' });
  });

  it('answers 400 for an unknown history id or one without a bundle', async () => {
    await synced('kept', A, false);
    await history('kept', 1);
    const unknown = await call('POST', '/applications/kept/rollback', { id: 42 });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().message).toMatch(/id: is no history entry of "kept" \(42\)/);
    const noBundle = await call('POST', '/applications/kept/rollback', { id: 1 });
    expect(noBundle.statusCode).toBe(400);
    expect(noBundle.json().message).toMatch(/no bundle digest/);
  });

  it('returns to the branch head when automated sync is turned back on', async () => {
    await call('PUT', '/applications/web', manifest('web', { syncPolicy: {} }));
    expect((await call('GET', '/applications/web')).json().status.rolledBack).toBeDefined();

    const { result, command } = await nextCommand('web', () =>
      call('PUT', '/applications/web', manifest('web')),
    );
    expect((result as { statusCode: number }).statusCode).toBe(200);
    expect(command).toMatchObject({ op: 'sync', app: 'web' });
    expect((await call('GET', '/applications/web')).json().status.rolledBack).toBeUndefined();
    const deadline = Date.now() + 5_000;
    while (!registry.applications.get('web')?.spec.syncPolicy.automated && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(registry.applications.get('web')?.spec.syncPolicy.automated).toEqual({
      prune: true,
      selfHeal: true,
    });
  });

  it('refreshes: asks the repo-poller to poll the repository now, and the reconciler to compare', async () => {
    const polled: unknown[] = [];
    const poller = nc.subscribe(`${topology.root}.poll`, {
      callback: (_error, message) => {
        polled.push(message.json());
        message.respond(JSON.stringify({ polled: true, repository: 'kept' }));
      },
    });
    const { result, command } = await nextCommand('kept', () =>
      call('POST', '/applications/kept/refresh'),
    );
    poller.unsubscribe();
    const response = result as { statusCode: number; json: () => { poll: unknown } };
    expect(response.statusCode).toBe(202);
    expect(response.json().poll).toEqual({ polled: true, repository: 'kept' });
    expect(polled).toEqual([{ url: 'https://git.example.com/org/kept' }]);
    expect(command).toMatchObject({ op: 'refresh', app: 'kept' });
  });

  it('deletes with cascade through a delete command; without, only forgets', async () => {
    const { result, command } = await nextCommand('doomed', () =>
      call('DELETE', '/applications/doomed?cascade=true'),
    );
    expect((result as { statusCode: number }).statusCode).toBe(204);
    expect(command).toMatchObject({ op: 'delete', cascade: true });
    expect((await call('GET', '/applications/doomed')).statusCode).toBe(404);

    const seen: unknown[] = [];
    const watch = nc.subscribe(topology.subjects.command('prod', 'kept'), {
      callback: (_error, message) => {
        seen.push(message);
      },
    });
    expect((await call('DELETE', '/applications/kept?cascade=false')).statusCode).toBe(204);
    await nc.flush();
    watch.unsubscribe();
    expect(seen).toEqual([]);
    expect((await call('DELETE', '/applications/kept?cascade=maybe')).statusCode).toBe(400);
  });

  it('records every mutating call with who, what, when and outcome', async () => {
    const items = (await call('GET', '/applications/web/audit')).json().items;
    expect(
      items.map((item: { action: string; outcome: number }) => [item.action, item.outcome]),
    ).toEqual([
      ['POST /api/v1/applications', 201],
      ['POST /api/v1/applications/web/rollback', 202],
      ['POST /api/v1/applications/web/sync', 409],
      ['PUT /api/v1/applications/web', 200],
      ['PUT /api/v1/applications/web', 200],
    ]);
    expect(items[2]).toMatchObject({ actor: 'admin', app: 'web', message: expect.any(String) });
    expect(Date.parse(items[0].at)).toBeGreaterThan(0);
  });
});
