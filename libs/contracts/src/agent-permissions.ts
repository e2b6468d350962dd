import { diffSubject } from './app-diff';
import { assertDnsLabel } from './names';
import type { Topology } from './topology';

/**
 * What a reconciler in agent mode may do on the control plane's NATS, and nothing more:
 * take its own cluster's desired states and commands, report its own cluster's statuses and
 * events, read the registrations and bundles it works from, keep its own sync states, and
 * answer diff requests about its apps. Every subject that names a cluster names its own, so
 * an agent that is taken over can neither read nor forge another cluster's traffic, and it
 * never sees another cluster's registration (sealed credentials included).
 *
 * Two reads are not scoped by cluster: the application registrations (keyed by app, not by
 * cluster) and the bundles (content-addressed, shared by every app that renders the same
 * objects). And one write is not: purging an app's last status when the app is deleted,
 * since NATS takes a purge's subject filter in the request body, where permissions do not
 * look; the api keeps every status in PostgreSQL regardless.
 */

/** The durable consumers of a cluster's reconciler: desired states and commands. */
export function reconcilerDurables(cluster: string): { desired: string; commands: string } {
  assertDnsLabel('cluster name', cluster);
  return { desired: `reconciler-desired-${cluster}`, commands: `reconciler-cmd-${cluster}` };
}

/**
 * Where an agent takes its replies (JetStream API answers, pulled messages): an inbox of its
 * own, so that it may subscribe to its replies and to nobody else's.
 */
export function agentInboxPrefix(topology: Topology, cluster: string): string {
  assertDnsLabel('cluster name', cluster);
  return `_INBOX.${topology.root.replace(/\./g, '_')}.${cluster}`;
}

/** NATS user permissions, as in a server's `authorization` block or `nsc add user`. */
export interface NatsPermissions {
  publish: string[];
  subscribe: string[];
  /** Publishing to the reply subject of a request received (diff requests) is allowed. */
  allowResponses: true;
}

/** The permissions of the NATS user of the agent for `cluster`. */
export function agentNatsPermissions(topology: Topology, cluster: string): NatsPermissions {
  const { subjects, streams, buckets } = topology;
  const durables = reconcilerDurables(cluster);
  const api = '$JS.API';
  const kv = (bucket: string) => ({ stream: `KV_${bucket}`, prefix: `$KV.${bucket}` });
  const clusters = kv(buckets.clusters());
  const applications = kv(buckets.applications());
  const syncStates = kv(buckets.syncState());
  const bundles = { stream: `OBJ_${buckets.bundles()}`, prefix: `$O.${buckets.bundles()}` };
  const consume = (stream: string, durable: string, filter: string) => [
    `${api}.CONSUMER.INFO.${stream}.${durable}`,
    `${api}.CONSUMER.CREATE.${stream}.${durable}.${filter}`,
    `${api}.CONSUMER.MSG.NEXT.${stream}.${durable}`,
    `$JS.ACK.${stream}.${durable}.>`,
  ];
  return {
    publish: [
      // JetStream account check, made by every JetStream client before its first call.
      `${api}.INFO`,
      // The buckets it opens, which the client looks up first.
      ...[applications.stream, syncStates.stream, bundles.stream].map(
        (stream) => `${api}.STREAM.INFO.${stream}`,
      ),
      // Its own desired states and commands, through its own durable consumers.
      ...consume(streams.desired(), durables.desired, subjects.filter('desired', cluster)),
      ...consume(streams.commands(), durables.commands, subjects.filter('cmd', cluster)),
      // Its own apps' statuses and events; its own apps' last statuses, read back on start.
      subjects.filter('status', cluster),
      subjects.filter('events', cluster),
      `${api}.DIRECT.GET.${streams.status()}.${subjects.filter('status', cluster)}`,
      `${api}.STREAM.PURGE.${streams.status()}`,
      // Registrations: its own cluster's, and the applications (KV watches: ordered
      // consumers of generated names; the one-key view also asks how many entries it has).
      `${api}.CONSUMER.CREATE.${clusters.stream}.*.${clusters.prefix}.${cluster}`,
      `${api}.CONSUMER.INFO.${clusters.stream}.*`,
      `${api}.CONSUMER.CREATE.${applications.stream}.*.${applications.prefix}.>`,
      // Its own sync states: `<cluster>.<app>` keys.
      `${syncStates.prefix}.${cluster}.>`,
      `${api}.DIRECT.GET.${syncStates.stream}.${syncStates.prefix}.${cluster}.>`,
      // Bundles, read only: an object's metadata, then its chunks (an ordered consumer).
      `${api}.STREAM.MSG.GET.${bundles.stream}`,
      `${api}.CONSUMER.CREATE.${bundles.stream}.*.${bundles.prefix}.C.>`,
    ],
    subscribe: [
      `${agentInboxPrefix(topology, cluster)}.>`,
      // Diff requests about its apps, from the api.
      diffSubject(topology, cluster),
    ],
    allowResponses: true,
  };
}
