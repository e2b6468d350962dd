import {
  JetStreamApiCodes,
  JetStreamApiError,
  jetstream,
  jetstreamManager,
} from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';

/**
 * The payload of every message a stream holds now, oldest first, through an ordered
 * consumer that is gone once read. A stream that does not exist holds nothing.
 */
export async function* retainedMessages(
  nc: NatsConnection,
  stream: string,
): AsyncGenerator<Uint8Array> {
  let held: number;
  try {
    held = (await (await jetstreamManager(nc)).streams.info(stream)).state.messages;
  } catch (error) {
    if (error instanceof JetStreamApiError && error.code === JetStreamApiCodes.StreamNotFound)
      return;
    throw error;
  }
  if (held === 0) return;
  const consumer = await jetstream(nc).consumers.get(stream);
  for (;;) {
    // Expiry ends the read when messages went (aged out, purged) while it ran.
    const batch = await consumer.fetch({ max_messages: BATCH, expires: 2_000 });
    let read = 0;
    for await (const message of batch) {
      read++;
      yield message.data;
      // Nothing after it yet: the stream is read to its end.
      if (message.info.pending === 0) return;
    }
    if (read === 0) return;
  }
}

const BATCH = 1_000;
