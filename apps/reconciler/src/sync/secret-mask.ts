import type { KubernetesObject } from '@cairn/manifests';

/** Shorter values are too likely to be ordinary words of a message to be masked usefully. */
const MIN_MASKED_LENGTH = 4;
export const MASK = '***';

/**
 * Keeps the values of a bundle's Secrets out of everything Cairn says about a sync. The API
 * server's validation messages may quote a field's value ("Invalid value: ..."), and those
 * messages go to events, status and logs.
 */
export class SecretMask {
  private constructor(private readonly values: readonly string[]) {}

  static of(objects: readonly KubernetesObject[]): SecretMask {
    const values = new Set<string>();
    for (const object of objects) {
      if (object.kind !== 'Secret') continue;
      for (const [field, decode] of [
        ['data', true],
        ['stringData', false],
      ] as const) {
        const entries = object[field];
        if (typeof entries !== 'object' || entries === null) continue;
        for (const value of Object.values(entries as Record<string, unknown>)) {
          if (typeof value !== 'string') continue;
          values.add(value);
          if (decode) values.add(Buffer.from(value, 'base64').toString('utf8'));
        }
      }
    }
    const masked = [...values].filter((v) => v.length >= MIN_MASKED_LENGTH);
    // Longest first, so a value containing another is masked whole.
    return new SecretMask(masked.sort((a, b) => b.length - a.length));
  }

  apply(text: string): string {
    return this.values.reduce((masked, value) => masked.split(value).join(MASK), text);
  }
}
