/**
 * Keeps secrets out of logs: any field whose name looks like a secret is replaced at any
 * depth, whatever object it sits in (a cluster's `config.tlsClientConfig.keyData`, a
 * repository's `password`). Matching is on normalized names (case, `-` and `_` ignored).
 */

export const REDACTED = '[REDACTED]';

const SECRET_KEYS = new Set([
  'password',
  'passwd',
  'token',
  'bearertoken',
  'secret',
  'webhooksecret',
  'clientsecret',
  'kubeconfig',
  'keydata',
  'privatekey',
  'apikey',
  'authorization',
  'cookie',
  'setcookie',
  'credentials',
]);

/** Suffixes that mark a secret in compound names: accessToken, adminPassword, hmacSecret. */
const SECRET_SUFFIXES = ['password', 'token', 'secret'];

/** Deep enough for any config or API body we log; deeper data is cut, not walked. */
const MAX_DEPTH = 10;

export function isSecretKey(key: string): boolean {
  const normalized = key.toLowerCase().replace(/[-_]/g, '');
  return SECRET_KEYS.has(normalized) || SECRET_SUFFIXES.some((s) => normalized.endsWith(s));
}

export function redactSecrets<T>(value: T): T {
  return redact(value, 0, new WeakSet()) as T;
}

function redact(value: unknown, depth: number, seen: WeakSet<object>): unknown {
  if (typeof value !== 'object' || value === null) return value;
  // Errors go to pino's error serializer as they are; Dates, Buffers and the like know
  // how to print themselves.
  if (value instanceof Error || typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    return value;
  }
  if (seen.has(value)) return '[Circular]';
  if (depth >= MAX_DEPTH) return '[Truncated]';
  seen.add(value);
  if (Array.isArray(value)) return value.map((item) => redact(item, depth + 1, seen));
  const copy: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) {
    copy[key] = isSecretKey(key) ? REDACTED : redact(field, depth + 1, seen);
  }
  return copy;
}
