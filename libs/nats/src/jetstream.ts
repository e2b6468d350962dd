import {
  AckPolicy,
  type Consumer,
  type ConsumerInfo,
  DeliverPolicy,
  jetstream,
  JetStreamApiCodes,
  JetStreamApiError,
  jetstreamManager,
  type JetStreamManager,
  type StreamInfo,
} from '@nats-io/jetstream';
import { nanos, type NatsConnection } from '@nats-io/transport-node';

/**
 * Idempotent set-up of the JetStream assets a service needs, safe to run on every start by
 * every replica: what exists is kept (and widened where needed), what is missing is made.
 */

export interface StreamSpec {
  name: string;
  subjects: string[];
  /** Drop messages older than this; absent: keep them until limits say otherwise. */
  maxAgeMs?: number;
  /** Keep only the newest N messages of each subject (1: a "last value" stream). */
  maxMsgsPerSubject?: number;
  /**
   * Answer direct gets (`$JS.API.DIRECT.GET.<stream>.<subject>`): a read of the last message
   * of a subject whose permission can be scoped by subject, unlike `STREAM.MSG.GET`.
   */
  allowDirect?: boolean;
}

/** Makes sure the stream exists and captures at least `subjects`; returns its info. */
export async function ensureStream(nc: NatsConnection, spec: StreamSpec): Promise<StreamInfo> {
  const jsm = await jetstreamManager(nc);
  const existing = await streamInfo(jsm, spec.name);
  if (!existing) {
    try {
      return await jsm.streams.add({
        name: spec.name,
        subjects: spec.subjects,
        ...(spec.maxAgeMs !== undefined && { max_age: nanos(spec.maxAgeMs) }),
        ...(spec.maxMsgsPerSubject !== undefined && {
          max_msgs_per_subject: spec.maxMsgsPerSubject,
        }),
        ...(spec.allowDirect && { allow_direct: true }),
      });
    } catch (error) {
      // Another replica created it between our look-up and our add: use theirs.
      const raced = await streamInfo(jsm, spec.name);
      if (!raced) throw error;
      return widen(jsm, raced, spec);
    }
  }
  return widen(jsm, existing, spec);
}

/** Adds what an existing stream lacks (subjects, direct gets); never takes anything away. */
async function widen(
  jsm: JetStreamManager,
  info: StreamInfo,
  spec: StreamSpec,
): Promise<StreamInfo> {
  const current = info.config.subjects ?? [];
  const missing = spec.subjects.filter((subject) => !current.includes(subject));
  const direct = spec.allowDirect === true && !info.config.allow_direct;
  if (missing.length === 0 && !direct) return info;
  return jsm.streams.update(info.config.name, {
    ...info.config,
    subjects: [...current, ...missing],
    ...(direct && { allow_direct: true }),
  });
}

async function streamInfo(jsm: JetStreamManager, name: string): Promise<StreamInfo | undefined> {
  try {
    return await jsm.streams.info(name);
  } catch (error) {
    if (error instanceof JetStreamApiError && error.code === JetStreamApiCodes.StreamNotFound)
      return undefined;
    throw error;
  }
}

export interface DurableConsumerSpec {
  stream: string;
  /** Durable name: the server keeps this consumer's position while nobody is connected. */
  durable: string;
  /** NATS subject filter, wildcards allowed (cairn.desired.cluster-a.>). */
  filterSubject: string;
  /** How long a delivered message may stay unacknowledged before redelivery. Default 30 s. */
  ackWaitMs?: number;
  /** Deliveries before the server gives up on a message; default -1 (never). */
  maxDeliver?: number;
}

/**
 * Makes sure the durable pull consumer exists with this filter and timing (creating or
 * updating it) and returns a handle to consume from. Delivery starts with the oldest
 * message in the stream the consumer has not acknowledged, so messages published while
 * no process was running are not lost.
 */
export async function ensureDurableConsumer(
  nc: NatsConnection,
  spec: DurableConsumerSpec,
): Promise<Consumer> {
  const jsm = await jetstreamManager(nc);
  const wanted = {
    filter_subject: spec.filterSubject,
    ack_wait: nanos(spec.ackWaitMs ?? 30_000),
    max_deliver: spec.maxDeliver ?? -1,
  };
  const existing = await consumerInfo(jsm, spec.stream, spec.durable);
  if (!existing) {
    await jsm.consumers.add(spec.stream, {
      ...wanted,
      durable_name: spec.durable,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
    });
  } else if (
    existing.config.filter_subject !== wanted.filter_subject ||
    existing.config.ack_wait !== wanted.ack_wait ||
    existing.config.max_deliver !== wanted.max_deliver
  ) {
    await jsm.consumers.update(spec.stream, spec.durable, wanted);
  }
  return jetstream(nc).consumers.get(spec.stream, spec.durable);
}

async function consumerInfo(
  jsm: JetStreamManager,
  stream: string,
  name: string,
): Promise<ConsumerInfo | undefined> {
  try {
    return await jsm.consumers.info(stream, name);
  } catch (error) {
    if (error instanceof JetStreamApiError && error.code === JetStreamApiCodes.ConsumerNotFound)
      return undefined;
    throw error;
  }
}
