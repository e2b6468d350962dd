import type { Topology } from '@cairn/contracts';
import { ManifestBundle } from '@cairn/manifests';
import { type ObjectStore, Objm } from '@nats-io/obj';
import type { NatsConnection } from '@nats-io/transport-node';

/**
 * Rendered bundles, content-addressed in the JetStream object store: the repo-poller
 * stores each distinct bundle once, reconcilers (and rollbacks) fetch it by digest.
 */
export class BundleStore {
  private constructor(private readonly store: ObjectStore) {}

  static async open(nc: NatsConnection, topology: Topology): Promise<BundleStore> {
    return new BundleStore(await new Objm(nc).create(topology.buckets.bundles()));
  }

  /** Stores the bundle unless a bundle with its digest is already there. */
  async put(bundle: ManifestBundle): Promise<void> {
    if (await this.store.info(bundle.digest)) return;
    await this.store.putBlob({ name: bundle.digest }, bundle.serialize());
  }

  /** The bundle, checked against its digest; throws when it is not stored. */
  async get(digest: string): Promise<ManifestBundle> {
    const bytes = await this.store.getBlob(digest);
    if (!bytes) throw new Error(`bundle ${digest} is not in the bundle store`);
    const bundle = ManifestBundle.deserialize(bytes);
    if (bundle.digest !== digest)
      throw new Error(`bundle stored as ${digest} has digest ${bundle.digest}`);
    return bundle;
  }

  async delete(digest: string): Promise<void> {
    await this.store.delete(digest);
  }
}
