import type { Topology } from '@cairn/contracts';
import { Objm } from '@nats-io/obj';
import type { NatsConnection } from '@nats-io/transport-node';
import { ensureStream } from './jetstream';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Creates Cairn's streams and the bundle object store if they are missing. Every service
 * calls it at start, so no start order is needed between them.
 */
export async function ensureTopology(nc: NatsConnection, topology: Topology): Promise<void> {
  const { subjects, streams, buckets } = topology;
  await Promise.all([
    // A few recent desired states per app: enough for a restarted reconciler, not a history.
    ensureStream(nc, {
      name: streams.desired(),
      subjects: [subjects.filter('desired')],
      maxMsgsPerSubject: 8,
    }),
    ensureStream(nc, {
      name: streams.commands(),
      subjects: [subjects.filter('cmd')],
      maxAgeMs: DAY_MS,
    }),
    // Status is a full snapshot: only the newest one per app matters.
    ensureStream(nc, {
      name: streams.status(),
      subjects: [subjects.filter('status')],
      maxMsgsPerSubject: 1,
    }),
    ensureStream(nc, {
      name: streams.events(),
      subjects: [subjects.filter('events')],
      maxAgeMs: 7 * DAY_MS,
    }),
    new Objm(nc).create(buckets.bundles()),
  ]);
}
