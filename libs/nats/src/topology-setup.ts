import type { Topology } from '@cairn/contracts';
import { Kvm } from '@nats-io/kv';
import { Objm } from '@nats-io/obj';
import type { NatsConnection } from '@nats-io/transport-node';
import { ensureStream } from './jetstream';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Creates Cairn's streams, the bundle object store and the reconcilers' sync-state bucket
 * if they are missing. Every control-plane service calls it at start, so no start order is
 * needed between them; an agent, whose NATS permissions allow no creation, finds them made.
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
    // Status is a full snapshot: only the newest one per app matters. A reconciler reads
    // its apps' last snapshots with direct gets, which an agent may be allowed for its own
    // cluster's subjects only.
    ensureStream(nc, {
      name: streams.status(),
      subjects: [subjects.filter('status')],
      maxMsgsPerSubject: 1,
      allowDirect: true,
    }),
    ensureStream(nc, {
      name: streams.events(),
      subjects: [subjects.filter('events')],
      maxAgeMs: 7 * DAY_MS,
    }),
    new Objm(nc).create(buckets.bundles()),
    // History 1: the current state is all a restarted reconciler needs (SyncStateStore).
    new Kvm(nc).create(buckets.syncState(), { history: 1 }),
  ]);
}
