import { AppEvent, type AppEventType, encode, type Topology } from '@cairn/contracts';
import type { JetStreamClient } from '@nats-io/jetstream';

export type EventDetails = Pick<
  AppEvent,
  'revision' | 'bundleDigest' | 'reason' | 'resources' | 'health'
>;

/** What the contract allows in a message, with room for the marker. */
const MAX_MESSAGE = 4096;

/** Publishes AppEvents on `events.<cluster>.<app>`; the stream sequence becomes their id. */
export class EventLog {
  constructor(
    private readonly cluster: string,
    private readonly topology: Topology,
    private readonly js: JetStreamClient,
  ) {}

  async emit(
    app: string,
    type: AppEventType,
    message: string,
    details: EventDetails = {},
  ): Promise<void> {
    const event: AppEvent = {
      v: 1,
      type,
      app,
      cluster: this.cluster,
      message: truncate(message, MAX_MESSAGE),
      time: new Date().toISOString(),
      ...definedOnly(details),
    };
    await this.js.publish(
      this.topology.subjects.events(this.cluster, app),
      encode(AppEvent, event),
    );
  }
}

/** Cuts a message to the contract's limit, saying so. */
export function truncate(message: string, max: number): string {
  return message.length <= max ? message : `${message.slice(0, max - 16)} ... (truncated)`;
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
