import { type ApplicationRegistration, Topology } from '@cairn/contracts';
import { connectNats } from '@cairn/nats';
import { testInfra, uniqueName } from '@cairn/testing';
import type { NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Registry } from './registry';
import { RegistryWriter } from './registry-writer';

const now = () => new Date().toISOString();
const app = (name: string, cluster = 'local'): ApplicationRegistration => ({
  v: 1,
  name,
  cluster,
  spec: {
    source: { repoURL: 'http://git.test/apps.git', path: name, targetRevision: 'main' },
    destination: { name: cluster, namespace: 'default' },
    syncPolicy: { syncOptions: [] },
  },
  updatedAt: now(),
});

describe('registry mirror over JetStream KV', () => {
  let nc: NatsConnection;
  let topology: Topology;
  beforeAll(async () => {
    nc = await connectNats({ url: testInfra().natsUrl, name: 'registry-test' });
    topology = new Topology(uniqueName(testInfra().natsPrefix).replace(/-/g, '_'));
  });
  afterAll(() => nc?.close());

  it('gives a late watcher the full set, then every change', async () => {
    const writer = await RegistryWriter.open(nc, topology);
    await writer.putApplication(app('web'));
    await writer.putApplication(app('api'));
    await writer.delete('applications', 'api');
    await writer.putApplication(app('db'));

    const registry = await Registry.open(nc, topology);
    expect(
      registry.applications
        .values()
        .map((a) => a.name)
        .sort(),
    ).toEqual(['db', 'web']);

    const seen: string[] = [];
    registry.applications.onChange((c) => seen.push(`${c.key}:${c.value ? 'put' : 'deleted'}`));
    await writer.putApplication({ ...app('web'), cluster: 'other' });
    await writer.delete('applications', 'db');
    await expect.poll(() => seen).toEqual(['web:put', 'db:deleted']);
    expect(registry.applications.get('web')?.cluster).toBe('other');
    expect(registry.applications.get('db')).toBeUndefined();
    registry.close();
  });

  it('is ready at once on empty buckets, and skips an entry that breaks its contract', async () => {
    const empty = new Topology(uniqueName(testInfra().natsPrefix).replace(/-/g, '_'));
    const invalid: string[] = [];
    const registry = await Registry.open(nc, empty, (key) => invalid.push(key));
    expect(registry.clusters.values()).toEqual([]);

    const { Kvm } = await import('@nats-io/kv');
    const kv = await new Kvm(nc).open(empty.buckets.clusters());
    await kv.put('broken', new TextEncoder().encode('{"v":1,"name":"Not A Name"}'));
    await expect.poll(() => invalid).toEqual(['broken']);
    expect(registry.clusters.get('broken')).toBeUndefined();
    registry.close();
  });

  it("shows an agent its own cluster's registration only, whether it exists yet or not", async () => {
    const writer = await RegistryWriter.open(nc, topology);
    const cluster = (name: string, mode: 'agent' | 'direct') => ({
      v: 1 as const,
      name,
      mode,
      updatedAt: now(),
    });
    await writer.putCluster({ ...cluster('prod', 'direct'), credentialsSealed: 'sealed' });
    await writer.putCluster(cluster('edge', 'agent'));
    await writer.putApplication(app('shop', 'edge'));

    const registered = await Registry.openForAgent(nc, topology, 'edge');
    expect(registered.clusters.values()).toEqual(
      [cluster('edge', 'agent')].map((c) => ({
        ...c,
        updatedAt: expect.any(String),
      })),
    );
    expect(registered.applications.get('shop')?.cluster).toBe('edge');
    expect(registered.repositories.values()).toEqual([]);
    registered.close();

    // Not registered yet: ready at once, empty, and it learns of the registration later.
    const early = await Registry.openForAgent(nc, topology, 'late');
    expect(early.clusters.values()).toEqual([]);
    await writer.putCluster(cluster('late', 'agent'));
    await writer.putCluster(cluster('later', 'agent'));
    await expect.poll(() => early.clusters.values().map((c) => c.name)).toEqual(['late']);
    early.close();
  });
});
