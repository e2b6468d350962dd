import { Topology } from '@cairn/contracts';
import { ManifestBundle } from '@cairn/manifests';
import { testInfra, uniqueName } from '@cairn/testing';
import { describe, expect, it } from 'vitest';
import { BundleStore } from './bundle-store';
import { connectNats } from './connection';
import { ensureTopology } from './topology-setup';

describe('BundleStore', () => {
  it('stores a bundle once by digest and gives back the same objects', async () => {
    const nc = await connectNats({ url: testInfra().natsUrl, name: 'bundle-store-test' });
    try {
      const topology = new Topology(uniqueName(testInfra().natsPrefix).replace(/-/g, '_'));
      await ensureTopology(nc, topology);
      const store = await BundleStore.open(nc, topology);
      const bundle = ManifestBundle.of(
        [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' }, data: { k: 'v' } }],
        ['app/a.yaml'],
      );
      await store.put(bundle);
      await store.put(bundle);
      const back = await store.get(bundle.digest);
      expect(back.digest).toBe(bundle.digest);
      expect(back.objects).toEqual(bundle.objects);
      await expect(store.get(`sha256:${'0'.repeat(64)}`)).rejects.toThrow(
        'is not in the bundle store',
      );
    } finally {
      await nc.close();
    }
  });

  it('stores a deleted bundle again when it is put again, and lists what is stored', async () => {
    const nc = await connectNats({ url: testInfra().natsUrl, name: 'bundle-store-test' });
    try {
      const topology = new Topology(uniqueName(testInfra().natsPrefix).replace(/-/g, '_'));
      await ensureTopology(nc, topology);
      const store = await BundleStore.open(nc, topology);
      const bundle = (name: string) =>
        ManifestBundle.of(
          [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { k: 'v' } }],
          [`app/${name}.yaml`],
        );
      const [kept, reclaimed] = [bundle('kept'), bundle('reclaimed')];
      await store.put(kept);
      await store.put(reclaimed);
      const before = Date.now();

      await store.delete(reclaimed.digest);
      await store.delete(reclaimed.digest);

      expect(await store.has(reclaimed.digest)).toBe(false);
      await expect(store.get(reclaimed.digest)).rejects.toThrow('is not in the bundle store');
      const listed = await store.list();
      expect(listed.map((stored) => stored.digest)).toEqual([kept.digest]);
      expect(listed[0].storedAt.getTime()).toBeLessThanOrEqual(before);

      await store.put(reclaimed);
      expect((await store.get(reclaimed.digest)).objects).toEqual(reclaimed.objects);
    } finally {
      await nc.close();
    }
  });
});
