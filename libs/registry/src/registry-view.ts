import { decode } from '@cairn/contracts';
import type { KV } from '@nats-io/kv';
import type { z } from 'zod';

export type RegistryChange<T> = { key: string; value: T } | { key: string; value: undefined };

/**
 * A live, local copy of one registration bucket: the full set first (`ready` resolves
 * once it is loaded), then every change as it happens. Listeners hear about each change
 * after the copy is updated. An entry that breaks its contract is skipped and reported,
 * never allowed to stop the watch.
 */
export class RegistryView<T> {
  private readonly entries = new Map<string, T>();
  private readonly listeners: Array<(change: RegistryChange<T>) => void> = [];
  private stopWatch?: () => void;
  readonly ready: Promise<void>;

  constructor(
    private readonly kv: KV,
    private readonly schema: z.ZodType<T>,
    private readonly onInvalid: (key: string, error: Error) => void = () => undefined,
  ) {
    this.ready = this.start();
  }

  get(key: string): T | undefined {
    return this.entries.get(key);
  }

  values(): T[] {
    return [...this.entries.values()];
  }

  onChange(listener: (change: RegistryChange<T>) => void): void {
    this.listeners.push(listener);
  }

  stop(): void {
    this.stopWatch?.();
  }

  private async start(): Promise<void> {
    const status = await this.kv.status();
    const watch = await this.kv.watch();
    this.stopWatch = () => watch.stop();
    let markReady!: () => void;
    const ready = new Promise<void>((resolve) => (markReady = resolve));
    if (status.values === 0) markReady();
    void (async () => {
      for await (const entry of watch) {
        if (entry.operation === 'PUT') {
          try {
            this.apply({ key: entry.key, value: decode(this.schema, entry.value) });
          } catch (error) {
            this.onInvalid(entry.key, error as Error);
          }
        } else {
          this.apply({ key: entry.key, value: undefined });
        }
        // delta counts the initial entries still to come; 0 means the full set is in.
        if ((entry.delta ?? 0) === 0) markReady();
      }
    })();
    return ready;
  }

  private apply(change: RegistryChange<T>): void {
    if (change.value === undefined) this.entries.delete(change.key);
    else this.entries.set(change.key, change.value);
    for (const listener of this.listeners) listener(change);
  }
}
