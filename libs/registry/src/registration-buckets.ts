import {
  ApplicationRegistration,
  ClusterRegistration,
  RepositoryRegistration,
  type Topology,
} from '@cairn/contracts';
import { Kvm } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/transport-node';

/** The three registration kinds: which bucket holds each, and its contract. */
export function registrationKinds(topology: Topology) {
  return {
    repositories: { bucket: topology.buckets.repositories(), schema: RepositoryRegistration },
    clusters: { bucket: topology.buckets.clusters(), schema: ClusterRegistration },
    applications: { bucket: topology.buckets.applications(), schema: ApplicationRegistration },
  } as const;
}
export type RegistrationKind = keyof ReturnType<typeof registrationKinds>;

/** Opens a registration bucket, creating it on first use (idempotent across replicas). */
export async function openBucket(nc: NatsConnection, bucket: string) {
  // One value per key is all we need: the current registration. History lives in PostgreSQL.
  return new Kvm(nc).create(bucket, { history: 1 });
}
