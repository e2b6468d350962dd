import { type AppEvent, type AppStatus, Command, decode, Topology } from '@cairn/contracts';
import { testInfra } from '@cairn/testing';
import { jetstream } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApplicationView } from '../applications/application-view';
import type { ClusterView } from '../clusters/cluster-view';
import type { AppEventView } from '../events/events.service';
import { type ApiClient, startTestApi } from '../testing/api-test-app';

const SHA = 'a'.repeat(40);

/**
 * What reconcilers report (status and events on JetStream) as users see it through the
 * api, and the commands the api sends them: given an application on a registered cluster.
 */
describe('api: status, events and commands of an application', () => {
  let api: ApiClient;
  let nc: NatsConnection;
  let topology: Topology;
  let stop: () => Promise<void>;

  const call: ApiClient['call'] = (...args) => api.call(...args);

  const status = (app: string, cluster: string, fields: Partial<AppStatus>): AppStatus => ({
    v: 1,
    app,
    cluster,
    sync: { status: 'Synced', revision: SHA },
    health: { status: 'Healthy' },
    resources: [],
    conditions: [],
    reconciledAt: new Date().toISOString(),
    ...fields,
  });

  const publish = (subject: string, message: unknown) =>
    jetstream(nc).publish(subject, JSON.stringify(message));

  beforeAll(async () => {
    ({ api, nc, topology, stop } = await startTestApi(testInfra(), 'reports'));
    expect((await call('POST', '/clusters', { name: 'prod', mode: 'agent' })).statusCode).toBe(201);
    for (const name of ['reported', 'witness']) {
      const created = await call('POST', '/applications', {
        metadata: { name },
        spec: {
          source: { repoURL: 'https://git.example.com/org/apps', path: name },
          destination: { name: 'prod' },
        },
      });
      expect(created.statusCode).toBe(201);
    }
  });

  afterAll(() => stop?.());

  it('shows the latest status published on the status subject, and ignores an older one', async () => {
    const current = status('reported', 'prod', {
      sync: { status: 'OutOfSync', revision: SHA },
      health: { status: 'Progressing', message: 'rolling out' },
      operationState: { phase: 'Running', startedAt: new Date().toISOString() },
      resources: [
        {
          group: 'apps',
          version: 'v1',
          kind: 'Deployment',
          namespace: 'web',
          name: 'guestbook',
          status: 'OutOfSync',
          health: { status: 'Progressing' },
        },
      ],
    });
    await publish(topology.subjects.status('prod', 'reported'), current);

    const shown = await api.waitFor<ApplicationView>(
      '/applications/reported',
      (body) => body.status.sync.status === 'OutOfSync',
    );
    expect(shown.status).toEqual({
      sync: current.sync,
      health: current.health,
      operationState: current.operationState,
      resources: current.resources,
      conditions: [],
      reconciledAt: current.reconciledAt,
      history: [],
    });

    // An older status arrives late. Statuses are consumed in stream order, so once the
    // witness app shows the one published after it, the late one has been handled.
    const older = status('reported', 'prod', { reconciledAt: '2020-01-01T00:00:00Z' });
    await publish(topology.subjects.status('prod', 'reported'), older);
    await publish(topology.subjects.status('prod', 'witness'), status('witness', 'prod', {}));
    await api.waitFor<ApplicationView>(
      '/applications/witness',
      (body) => body.status.sync.status === 'Synced',
    );
    expect((await call('GET', '/applications/reported')).json().status).toEqual(shown.status);

    const newer = status('reported', 'prod', { health: { status: 'Healthy' } });
    await publish(topology.subjects.status('prod', 'reported'), newer);
    const latest = await api.waitFor<ApplicationView>(
      '/applications/reported',
      (body) => body.status.reconciledAt === newer.reconciledAt,
    );
    expect(latest.status.sync.status).toBe('Synced');
    expect(
      (await call('GET', '/applications?cluster=prod&health=Healthy'))
        .json()
        .items.map((a: ApplicationView) => a.metadata.name),
    ).toContain('reported');
  });

  it("shows the cluster's connection state from the newest status of its applications", async () => {
    await publish(
      topology.subjects.status('prod', 'reported'),
      status('reported', 'prod', {
        sync: { status: 'Unknown' },
        health: { status: 'Unknown' },
        conditions: [
          {
            type: 'ClusterUnreachable',
            message: 'dial tcp 10.0.0.1:6443: connection refused',
            lastTransitionTime: new Date().toISOString(),
          },
        ],
      }),
    );

    const cluster = await api.waitFor<ClusterView>(
      '/clusters/prod',
      (body) => body.connectionState.status === 'Failed',
    );
    expect(cluster.connectionState.message).toBe('dial tcp 10.0.0.1:6443: connection refused');
  });

  it('puts a sync command on the command subject and answers 202 with its id', async () => {
    const subscription = nc.subscribe(topology.subjects.command('prod', 'reported'), { max: 1 });

    const response = await call('POST', '/applications/reported/sync', {
      revision: SHA,
      prune: true,
    });

    expect(response.statusCode).toBe(202);
    const { id } = response.json();
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    for await (const message of subscription) {
      expect(decode(Command, message.data)).toEqual({
        v: 1,
        op: 'sync',
        id,
        app: 'reported',
        initiatedBy: 'admin',
        requestedAt: expect.any(String),
        revision: SHA,
        prune: true,
      });
    }
    expect(subscription.getProcessed()).toBe(1);
  });

  it('answers 400 for a sync to a revision that is not a full SHA, 404 for an unknown app', async () => {
    const short = await call('POST', '/applications/reported/sync', { revision: 'main' });
    expect(short.statusCode).toBe(400);
    expect(short.json().problems[0].path).toBe('revision');
    expect((await call('POST', '/applications/absent/sync', {})).statusCode).toBe(404);
  });

  it('lists the events published for it, newest last, each with its stream sequence as id', async () => {
    const event = (type: AppEvent['type'], message: string): AppEvent => ({
      v: 1,
      type,
      app: 'reported',
      cluster: 'prod',
      message,
      time: new Date().toISOString(),
      revision: SHA,
    });
    const first = await publish(
      topology.subjects.events('prod', 'reported'),
      event('SyncStarted', 'sync started'),
    );
    const second = await publish(
      topology.subjects.events('prod', 'reported'),
      event('SyncSucceeded', 'synced'),
    );

    const events = await api.waitFor<{ items: AppEventView[] }>(
      '/applications/reported/events',
      (body) => body.items.length === 2,
    );

    expect(events.items).toEqual([
      {
        id: first.seq,
        type: 'SyncStarted',
        app: 'reported',
        cluster: 'prod',
        message: 'sync started',
        time: expect.any(String),
        revision: SHA,
      },
      {
        id: second.seq,
        type: 'SyncSucceeded',
        app: 'reported',
        cluster: 'prod',
        message: 'synced',
        time: expect.any(String),
        revision: SHA,
      },
    ]);
    expect((await call('GET', '/applications/absent/events')).statusCode).toBe(404);
  });
});
