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

  /**
   * `only`: watch this one key rather than the whole bucket (an agent sees its own cluster's
   * registration and no other). Without `kv`, the view stays empty: what a process may not
   * read.
   */
  constructor(
    kv: KV | undefined,
    private readonly schema: z.ZodType<T>,
    private readonly onInvalid: (key: string, error: Error) => void = () => undefined,
    private readonly only?: string,
  ) {
    this.ready = kv ? this.start(kv) : Promise.resolve();
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

  private async start(kv: KV): Promise<void> {
    const empty = await this.startsEmpty(kv);
    const watch = await kv.watch(this.only === undefined ? {} : { key: this.only });
    this.stopWatch = () => watch.stop();
    let markReady!: () => void;
    const ready = new Promise<void>((resolve) => (markReady = resolve));
    if (empty) markReady();
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

  /**
   * Whether the watch will deliver nothing at first, so that the view is ready at once. A
   * one-key view asks about that key only: the bucket's count covers keys it may not read.
   */
  private async startsEmpty(kv: KV): Promise<boolean> {
    if (this.only === undefined) return (await kv.status()).values === 0;
    for await (const key of await kv.keys(this.only)) if (key === this.only) return false;
    return true;
  }

  private apply(change: RegistryChange<T>): void {
    if (change.value === undefined) this.entries.delete(change.key);
    else this.entries.set(change.key, change.value);
    for (const listener of this.listeners) listener(change);
  }
}
