import type { FieldDifference } from './object-diff';
import { isJsonObject } from './json-value';

/** What stands for a Secret value wherever Cairn shows one. */
export const SECRET_MASK = '***';

/** kubectl's client-side apply keeps the whole applied object, Secret data included, here. */
export const LAST_APPLIED_ANNOTATION = 'kubectl.kubernetes.io/last-applied-configuration';

/** Values shorter than this are too likely to be ordinary words to be masked in free text. */
const MIN_EMBEDDED_LENGTH = 4;

interface Kinded {
  apiVersion?: string;
  kind?: string;
}

export function isSecret(object: Kinded | undefined): boolean {
  return (
    object?.kind === 'Secret' && (object.apiVersion === 'v1' || object.apiVersion === undefined)
  );
}

/**
 * A Secret's differences with every value of `data` and `stringData` masked (the key names
 * stay: they say what differs), the last-applied annotation masked, and any other string
 * that embeds one of the Secret's values masked where it appears. Other kinds are returned
 * as they are.
 */
export function maskSecretDifferences(
  object: Kinded,
  differences: readonly FieldDifference[],
  secretObjects: readonly unknown[] = [],
): FieldDifference[] {
  if (!isSecret(object)) return [...differences];
  const values = secretValues(secretObjects);
  const mask = (path: string, value: unknown) =>
    value === undefined ? undefined : isSecretField(path) ? SECRET_MASK : maskDeep(value, values);
  return differences.map((d) => {
    const masked: FieldDifference = { path: d.path };
    if (d.live !== undefined) masked.live = mask(d.path, d.live);
    if (d.desired !== undefined) masked.desired = mask(d.path, d.desired);
    return masked;
  });
}

/** A Secret object fit to show: values of data and stringData and the last-applied annotation masked. */
export function maskSecretObject<T>(object: T): T {
  if (!isJsonObject(object) || !isSecret(object as Kinded)) return object;
  return maskDeep(object, secretValues([object])) as T;
}

function isSecretField(path: string): boolean {
  return (
    /^(data|stringData)([.[]|$)/.test(path) ||
    path === `metadata.annotations[${JSON.stringify(LAST_APPLIED_ANNOTATION)}]`
  );
}

function maskDeep(value: unknown, secrets: readonly string[], key?: string): unknown {
  if (typeof value === 'string')
    return secrets.reduce((text, secret) => text.split(secret).join(SECRET_MASK), value);
  if (Array.isArray(value)) return value.map((item) => maskDeep(item, secrets));
  if (!isJsonObject(value)) return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => {
      if ((k === 'data' || k === 'stringData') && key === undefined && isJsonObject(v))
        return [k, Object.fromEntries(Object.keys(v).map((name) => [name, SECRET_MASK]))];
      if (k === LAST_APPLIED_ANNOTATION) return [k, SECRET_MASK];
      return [k, maskDeep(v, secrets, k)];
    }),
  );
}

/** Every value of the Secrets' data (encoded and decoded) and stringData, longest first. */
export function secretValues(objects: readonly unknown[]): string[] {
  const values = new Set<string>();
  for (const object of objects) {
    if (!isJsonObject(object) || !isSecret(object as Kinded)) continue;
    for (const [field, encoded] of [
      ['data', true],
      ['stringData', false],
    ] as const) {
      const entries = object[field];
      if (!isJsonObject(entries)) continue;
      for (const value of Object.values(entries)) {
        if (typeof value !== 'string') continue;
        values.add(value);
        if (encoded) values.add(Buffer.from(value, 'base64').toString('utf8'));
      }
    }
  }
  return [...values]
    .filter((v) => v.length >= MIN_EMBEDDED_LENGTH)
    .sort((a, b) => b.length - a.length);
}
