import { decode, encode, type Topology } from '@cairn/contracts';
import { type KV, Kvm } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/transport-node';
import { emptySyncState, SyncState } from './sync-state';

/**
 * Sync states in the JetStream KV bucket `topology.buckets.syncState()`, one key per app
 * and cluster: `<cluster>.<app>`. Only the worker of that cluster writes it, from the app's
 * serial queue, so writes never race.
 */
export class SyncStateStore {
  private constructor(private readonly kv: KV) {}

  static async open(nc: NatsConnection, topology: Topology): Promise<SyncStateStore> {
    // History 1: the current state is all a restart needs; history lives in PostgreSQL.
    return new SyncStateStore(
      await new Kvm(nc).create(topology.buckets.syncState(), { history: 1 }),
    );
  }

  /** The app's state, or an empty one when the app was never seen on this cluster. */
  async get(cluster: string, app: string): Promise<SyncState> {
    const entry = await this.kv.get(key(cluster, app));
    if (!entry || entry.operation !== 'PUT') return emptySyncState(cluster, app);
    return decode(SyncState, entry.value);
  }

  async put(state: SyncState): Promise<void> {
    await this.kv.put(key(state.cluster, state.app), encode(SyncState, state));
  }

  async delete(cluster: string, app: string): Promise<void> {
    await this.kv.purge(key(cluster, app));
  }
}

function key(cluster: string, app: string): string {
  return `${cluster}.${app}`;
}
