import {
  ApplicationRegistration,
  ClusterRegistration,
  encode,
  RepositoryRegistration,
  type Topology,
} from '@cairn/contracts';
import type { KV } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/transport-node';
import { openBucket, registrationKinds } from './registration-buckets';

type Kind = 'repositories' | 'clusters' | 'applications';

/**
 * The api's side of the registry: every registration it stores in PostgreSQL it also
 * puts here, validated against its contract, for the other services to watch.
 */
export class RegistryWriter {
  private constructor(private readonly buckets: Record<Kind, KV>) {}

  static async open(nc: NatsConnection, topology: Topology): Promise<RegistryWriter> {
    const kinds = registrationKinds(topology);
    const [repositories, clusters, applications] = await Promise.all([
      openBucket(nc, kinds.repositories.bucket),
      openBucket(nc, kinds.clusters.bucket),
      openBucket(nc, kinds.applications.bucket),
    ]);
    return new RegistryWriter({ repositories, clusters, applications });
  }

  async putRepository(registration: RepositoryRegistration): Promise<void> {
    await this.buckets.repositories.put(
      registration.id,
      encode(RepositoryRegistration, registration),
    );
  }

  async putCluster(registration: ClusterRegistration): Promise<void> {
    await this.buckets.clusters.put(registration.name, encode(ClusterRegistration, registration));
  }

  async putApplication(registration: ApplicationRegistration): Promise<void> {
    await this.buckets.applications.put(
      registration.name,
      encode(ApplicationRegistration, registration),
    );
  }

  async delete(kind: Kind, key: string): Promise<void> {
    await this.buckets[kind].delete(key);
  }

  /** Keys currently in a bucket: lets the api remove at start what PostgreSQL no longer has. */
  async keys(kind: Kind): Promise<string[]> {
    const keys: string[] = [];
    for await (const key of await this.buckets[kind].keys()) keys.push(key);
    return keys;
  }
}
