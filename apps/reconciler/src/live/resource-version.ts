/**
 * Whether resource version `a` is older than `b`. Kubernetes calls them opaque, but every
 * API server backed by etcd hands out increasing integers; when either is not one, nothing
 * can be said, and `a` counts as not older (the cache is trusted).
 */
export function isOlder(a: string | undefined, b: string | undefined): boolean {
  if (!a || !b || !/^\d+$/.test(a) || !/^\d+$/.test(b)) return false;
  return BigInt(a) < BigInt(b);
}
