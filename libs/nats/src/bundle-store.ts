import type { Topology } from '@cairn/contracts';
import { ManifestBundle } from '@cairn/manifests';
import { type ObjectStore, Objm } from '@nats-io/obj';
import type { NatsConnection } from '@nats-io/transport-node';

/** A stored bundle, as listing the store shows it. */
export interface StoredBundle {
  digest: string;
  storedAt: Date;
}

/**
 * Rendered bundles, content-addressed in the JetStream object store: the repo-poller
 * stores each distinct bundle once, reconcilers (and rollbacks) fetch it by digest, and
 * the api reclaims those nothing refers to any longer.
 */
export class BundleStore {
  private constructor(private readonly store: ObjectStore) {}

  static async open(nc: NatsConnection, topology: Topology): Promise<BundleStore> {
    return new BundleStore(await new Objm(nc).create(topology.buckets.bundles()));
  }

  /** Stores the bundle unless a bundle with its digest is already there. */
  async put(bundle: ManifestBundle): Promise<void> {
    if (await this.has(bundle.digest)) return;
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

  async has(digest: string): Promise<boolean> {
    // A deleted object keeps its metadata, marked deleted: it is not there.
    const info = await this.store.info(digest);
    return info !== null && !info.deleted;
  }

  async list(): Promise<StoredBundle[]> {
    return (await this.store.list()).map((info) => ({
      digest: info.name,
      storedAt: new Date(info.mtime),
    }));
  }

  /** Removes the bundle; one that is not stored is no error. */
  async delete(digest: string): Promise<void> {
    await this.store.delete(digest);
  }
}
