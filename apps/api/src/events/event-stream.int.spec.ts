import type { AppEvent, Topology } from '@cairn/contracts';
import { testInfra } from '@cairn/testing';
import { jetstream } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HistoryEntryView } from '../history/history-view';
import { type ApiClient, startTestApi } from '../testing/api-test-app';

interface Received {
  id: number;
  type: string;
  message: string;
  app: string;
  [field: string]: unknown;
}

/**
 * A client of GET /api/v1/stream/events over a real socket: reads frames until `enough`
 * says stop, then disconnects. The connection is open (its consumer created) once
 * `connected` resolves.
 */
function readStream(
  url: string,
  token: string,
  enough: (events: Received[]) => boolean,
  lastEventId?: number,
) {
  const events: Received[] = [];
  const abort = new AbortController();
  let onConnected: () => void = () => undefined;
  const connected = new Promise<void>((resolve) => (onConnected = resolve));
  const done = (async () => {
    const response = await fetch(url, {
      headers: {
        authorization: `Bearer ${token}`,
        ...(lastEventId !== undefined && { 'last-event-id': String(lastEventId) }),
      },
      signal: abort.signal,
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    if (!response.body) throw new Error('the event stream has no body');
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    try {
      for (;;) {
        const { value, done: ended } = await reader.read();
        if (ended) return events;
        buffer += value;
        if (buffer.startsWith(': connected')) onConnected();
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = frame.split('\n').find((line) => line.startsWith('data: '));
          const id = frame.split('\n').find((line) => line.startsWith('id: '));
          if (!data) continue;
          const event = JSON.parse(data.slice(6)) as Received;
          expect(Number(id?.slice(4))).toBe(event.id);
          events.push(event);
          if (enough(events)) {
            abort.abort();
            return events;
          }
        }
      }
    } catch (error) {
      if (abort.signal.aborted) return events;
      throw error;
    }
  })();
  return { events, connected, done };
}

describe('api: the resumable event stream (SSE)', () => {
  let app: NestFastifyApplication;
  let api: ApiClient;
  let nc: NatsConnection;
  let topology: Topology;
  let token: string;
  let base: string;
  let stop: () => Promise<void>;

  const event = (app: string, type: AppEvent['type'], message: string): AppEvent => ({
    v: 1,
    type,
    app,
    cluster: 'prod',
    message,
    time: new Date().toISOString(),
  });
  const publish = (e: AppEvent) =>
    jetstream(nc).publish(topology.subjects.events(e.cluster, e.app), JSON.stringify(e));

  beforeAll(async () => {
    ({ app, api, nc, topology, token, stop } = await startTestApi(testInfra(), 'stream'));
    await app.listen(0, '127.0.0.1');
    base = `${await app.getUrl()}/api/v1/stream/events`;
  });

  afterAll(() => stop?.());

  it('gives a client that reconnects with Last-Event-ID all 500 events of a burst, in order, none twice', async () => {
    let published = 0;
    const first = readStream(`${base}?application=burst`, token, (events) => events.length >= 150);
    await first.connected;
    const burst = (async () => {
      for (let i = 0; i < 500; i++) {
        await publish(event('burst', 'Applied', `event ${i}`));
        published++;
        if (i % 50 === 49) await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();
    const before = await first.done;
    const publishedAtDisconnect = published;
    expect(publishedAtDisconnect).toBeLessThan(500);

    const last = before[before.length - 1].id;
    const second = readStream(
      `${base}?application=burst`,
      token,
      (events) => before.length + events.length >= 500,
      last,
    );
    const after = await second.done;
    await burst;

    const all = [...before, ...after];
    expect(all.map((e) => e.message)).toEqual(Array.from({ length: 500 }, (_, i) => `event ${i}`));
    expect(new Set(all.map((e) => e.id)).size).toBe(500);
    expect(all.map((e) => e.id)).toEqual([...all.map((e) => e.id)].sort((a, b) => a - b));
  });

  it('sends only the events its filters select', async () => {
    const reader = readStream(
      `${base}?application=web&type=SyncFailed,SyncSucceeded`,
      token,
      (events) => events.length >= 2,
    );
    await reader.connected;
    await publish(event('web', 'Applied', 'not this type'));
    await publish(event('other', 'SyncFailed', 'not this app'));
    await publish(event('web', 'SyncFailed', 'first'));
    await publish(event('web', 'SyncSucceeded', 'second'));
    const events = await reader.done;
    expect(events.map((e) => [e.app, e.type, e.message])).toEqual([
      ['web', 'SyncFailed', 'first'],
      ['web', 'SyncSucceeded', 'second'],
    ]);
  });

  it('answers 400 for an unknown type or a Last-Event-ID that is no id, 401 without a token', async () => {
    const get = (query: string, headers: Record<string, string> = {}) =>
      fetch(`${base}${query}`, { headers: { authorization: `Bearer ${token}`, ...headers } });
    const badType = await get('?type=Exploded');
    expect(badType.status).toBe(400);
    expect(((await badType.json()) as { message: string }).message).toMatch(/^type/);
    const badId = await get('', { 'last-event-id': 'yesterday' });
    expect(badId.status).toBe(400);
    expect(((await badId.json()) as { message: string }).message).toMatch(/Last-Event-ID/);
    expect((await fetch(base)).status).toBe(401);
  });

  it('tells registration changes and rollbacks, with their stream ids, and no secret', async () => {
    const types = 'type=RegistrationChanged,RolledBack';
    const all = readStream(`${base}?${types}`, token, (events) => events.length >= 8);
    const ofEdge = readStream(`${base}?cluster=edge&${types}`, token, (events) =>
      events.some((e) => e.kind === 'cluster' && e.change === 'deleted'),
    );
    await Promise.all([all.connected, ofEdge.connected]);
    const call: ApiClient['call'] = (...args) => api.call(...args);
    const url = 'https://git.example.com/org/shop';

    expect((await call('POST', '/clusters', { name: 'edge', mode: 'agent' })).statusCode).toBe(201);
    const repository = await call('POST', '/repositories', {
      url,
      password: 'hunter2-password',
      webhookSecret: 'hunter2-webhook',
    });
    expect(repository.statusCode).toBe(201);
    const manifest = (automated: boolean) => ({
      metadata: { name: 'shop' },
      spec: {
        source: { repoURL: url, path: 'deploy' },
        destination: { name: 'edge', namespace: 'shop' },
        syncPolicy: automated ? { automated: { prune: true } } : {},
      },
    });
    expect((await call('POST', '/applications', manifest(true))).statusCode).toBe(201);
    // A sync the reconciler completed, to roll back to.
    const revision = 'd'.repeat(40);
    await publish({ ...event('shop', 'SyncStarted', 'sync'), cluster: 'edge', revision });
    await publish({
      ...event('shop', 'SyncSucceeded', 'synced'),
      cluster: 'edge',
      revision,
      bundleDigest: `sha256:${'d'.repeat(64)}`,
    });
    await api.waitFor<{ items: HistoryEntryView[] }>(
      '/applications/shop/history',
      (body) => body.items?.length === 1,
    );
    expect((await call('POST', '/applications/shop/rollback', { id: 1 })).statusCode).toBe(202);
    expect((await call('PUT', '/applications/shop', manifest(true))).statusCode).toBe(200);
    expect((await call('DELETE', '/applications/shop?cascade=false')).statusCode).toBe(204);
    expect((await call('DELETE', `/repositories/${repository.json().id}`)).statusCode).toBe(204);
    expect((await call('DELETE', '/clusters/edge')).statusCode).toBe(204);

    const events = await all.done;
    expect(events.map((e) => [e.type, e.kind, e.change])).toEqual([
      ['RegistrationChanged', 'cluster', 'created'],
      ['RegistrationChanged', 'repository', 'created'],
      ['RegistrationChanged', 'application', 'created'],
      ['RolledBack', undefined, undefined],
      ['RegistrationChanged', 'application', 'updated'],
      ['RegistrationChanged', 'application', 'deleted'],
      ['RegistrationChanged', 'repository', 'deleted'],
      ['RegistrationChanged', 'cluster', 'deleted'],
    ]);
    expect(events[3]).toEqual({
      id: expect.any(Number),
      type: 'RolledBack',
      app: 'shop',
      cluster: 'edge',
      message: expect.stringMatching(
        /^rolled back to history entry 1 \(revision ddddddd\) by admin/,
      ),
      time: expect.any(String),
      revision,
      bundleDigest: `sha256:${'d'.repeat(64)}`,
      historyId: 1,
      initiatedBy: 'admin',
    });
    expect(events[2]).toMatchObject({
      app: 'shop',
      cluster: 'edge',
      name: 'shop',
      initiatedBy: 'admin',
      message: expect.stringContaining(`${url} path deploy at HEAD to cluster "edge"`),
    });
    expect(events[4].message).toMatch(/automated sync is on again/);
    expect(events[1]).toMatchObject({ name: repository.json().id, url });
    expect(events[1]).not.toHaveProperty('cluster');
    // Ids are stream sequences: increasing, as a resume with Last-Event-ID needs.
    expect(events.map((e) => e.id)).toEqual([...events.map((e) => e.id)].sort((a, b) => a - b));
    expect(JSON.stringify(events)).not.toMatch(/hunter2/);

    // A cluster filter shows that cluster's changes and its apps', not the repository's.
    const edge = await ofEdge.done;
    expect(edge.map((e) => [e.type, e.kind ?? e.app, e.change])).toEqual([
      ['RegistrationChanged', 'cluster', 'created'],
      ['RegistrationChanged', 'application', 'created'],
      ['RolledBack', 'shop', undefined],
      ['RegistrationChanged', 'application', 'updated'],
      ['RegistrationChanged', 'application', 'deleted'],
      ['RegistrationChanged', 'cluster', 'deleted'],
    ]);

    // A reader that resumes after the application was registered gets the rest, none twice.
    const resumed = readStream(`${base}?${types}`, token, (read) => read.length >= 5, events[2].id);
    expect((await resumed.done).map((e) => e.id)).toEqual(events.slice(3).map((e) => e.id));
  });
});
