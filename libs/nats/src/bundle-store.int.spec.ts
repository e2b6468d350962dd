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
});
