import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';

/**
 * Deletes every stream whose name starts with the prefix. KV and object buckets are
 * streams too (KV_<bucket>, OBJ_<bucket>), so they go with them.
 */
export async function deleteJetStreamAssets(natsUrl: string, prefix: string): Promise<void> {
  const nc = await connect({ servers: natsUrl });
  try {
    const jsm = await jetstreamManager(nc);
    for await (const name of jsm.streams.names()) {
      const bare = name.replace(/^(KV|OBJ)_/, '');
      if (bare.startsWith(prefix)) await jsm.streams.delete(name);
    }
  } finally {
    await nc.close();
  }
}
