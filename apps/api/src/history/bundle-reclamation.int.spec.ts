import { type AppEvent, Command, decode, type DesiredState, type Topology } from '@cairn/contracts';
import { ManifestBundle } from '@cairn/manifests';
import { BundleStore } from '@cairn/nats';
import { testInfra } from '@cairn/testing';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiClient, startTestApi } from '../testing/api-test-app';
import { BundleReclaimer } from './bundle-reclaimer';
import type { HistoryEntryView } from './history-view';

/** A bundle of its own: one ConfigMap named after it. */
const bundle = (name: string) =>
  ManifestBundle.of(
    [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { name } }],
    [`deploy/${name}.yaml`],
  );
const revisionOf = (n: number) => n.toString(16).padStart(40, '0');

/**
 * Given bundles in the object store, as the repo-poller stores them, and syncs completed
 * as the reconciler reports them: bundles history refers to are kept, others reclaimed.
 */
describe('api: bundles are kept while history refers to them, then reclaimed', () => {
  let app: NestFastifyApplication;
  let api: ApiClient;
  let nc: NatsConnection;
  let topology: Topology;
  let store: BundleStore;
  let stop: () => Promise<void>;
  const call: ApiClient['call'] = (...args) => api.call(...args);
  const b = Object.fromEntries(
    ['one', 'two', 'three', 'four', 'five', 'orphan', 'fresh'].map((name) => [name, bundle(name)]),
  );
  let syncs = 0;

  const report = (appName: string, type: AppEvent['type'], fields: Partial<AppEvent>) =>
    jetstream(nc).publish(
      topology.subjects.events('prod', appName),
      JSON.stringify({
        v: 1,
        type,
        app: appName,
        cluster: 'prod',
        message: type,
        time: new Date().toISOString(),
        ...fields,
      } satisfies AppEvent),
    );
  /**
   * A sync of `deployed` the reconciler completed. Resolves once the api's events consumer
   * acknowledged it, which it does after recording it and reclaiming what it trimmed.
   */
  const synced = async (appName: string, deployed: ManifestBundle) => {
    const revision = revisionOf(++syncs);
    await report(appName, 'SyncStarted', { revision });
    const { seq } = await report(appName, 'SyncSucceeded', {
      revision,
      bundleDigest: deployed.digest,
    });
    const jsm = await jetstreamManager(nc);
    const deadline = Date.now() + 10_000;
    while (
      (await jsm.consumers.info(topology.streams.events(), 'api-events')).ack_floor.stream_seq < seq
    ) {
      if (Date.now() > deadline) throw new Error(`event ${seq} not handled within 10 s`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  const history = async (appName: string) =>
    (
      (await call('GET', `/applications/${appName}/history`)).json().items as HistoryEntryView[]
    ).map((entry) => entry.bundleDigest);
  const stored = (...bundles: ManifestBundle[]) =>
    Promise.all(bundles.map((each) => store.has(each.digest)));

  beforeAll(async () => {
    ({ app, api, nc, topology, stop } = await startTestApi(testInfra(), 'bundles'));
    store = await BundleStore.open(nc, topology);
    for (const each of Object.values(b)) await store.put(each);
    expect((await call('POST', '/clusters', { name: 'prod', mode: 'agent' })).statusCode).toBe(201);
    for (const [name, limit] of [
      ['web', 2],
      ['twin', 10],
    ] as const) {
      const created = await call('POST', '/applications', {
        metadata: { name },
        spec: {
          source: { repoURL: `https://git.example.com/org/${name}`, path: '.' },
          destination: { name: 'prod', namespace: name },
          revisionHistoryLimit: limit,
        },
      });
      expect(created.statusCode).toBe(201);
    }
  });

  afterAll(() => stop?.());

  it('reclaims the bundle of an entry trimmed past revisionHistoryLimit', async () => {
    await synced('web', b.one);
    await synced('web', b.two);
    expect(await stored(b.one)).toEqual([true]);

    await synced('web', b.three);

    expect(await history('web')).toEqual([b.three.digest, b.two.digest]);
    expect(await stored(b.one)).toEqual([false]);
    expect(await stored(b.two, b.three)).toEqual([true, true]);
  });

  it('keeps a trimmed bundle that another app history still refers to', async () => {
    await synced('twin', b.two);

    await synced('web', b.four);

    expect(await history('web')).toEqual([b.four.digest, b.three.digest]);
    expect(await stored(b.two)).toEqual([true]);
  });

  it('keeps a trimmed bundle that a desired state still names', async () => {
    const desired: DesiredState = {
      v: 1,
      app: 'web',
      revision: revisionOf(99),
      bundleDigest: b.three.digest,
      reason: 'a commit that renders what was deployed before',
    };
    await jetstream(nc).publish(topology.subjects.desired('prod', 'web'), JSON.stringify(desired));

    await synced('web', b.five);

    expect(await history('web')).toEqual([b.five.digest, b.four.digest]);
    expect(await stored(b.three)).toEqual([true]);
  });

  it('rolls back to a kept entry, whose bundle is there to deploy', async () => {
    const [, kept] = (await call('GET', '/applications/web/history')).json().items;
    const subscription = nc.subscribe(topology.subjects.command('prod', 'web'), {
      max: 1,
      timeout: 5_000,
    });
    expect((await call('POST', '/applications/web/rollback', { id: kept.id })).statusCode).toBe(
      202,
    );
    for await (const message of subscription) {
      const command = decode(Command, message.data);
      expect(command).toMatchObject({ op: 'rollback', bundleDigest: b.four.digest });
      if (command.op !== 'rollback') throw new Error('not a rollback');
      expect((await store.get(command.bundleDigest)).objects).toEqual(b.four.objects);
    }
  });

  it('sweeps bundles nothing refers to once their grace period is over', async () => {
    const reclaimer = app.get(BundleReclaimer);

    expect(await reclaimer.sweep()).toEqual([]);
    expect(await stored(b.orphan, b.fresh)).toEqual([true, true]);

    expect(await reclaimer.sweep(0)).toEqual([b.orphan.digest, b.fresh.digest].sort());
    expect(await stored(b.orphan, b.fresh)).toEqual([false, false]);
    expect(await stored(b.two, b.three, b.four, b.five)).toEqual([true, true, true, true]);
  });
});
