import type { ResourceRef } from '@cairn/contracts';
import type { KubeObject, LiveStateCache } from '@cairn/kube';
import { objectRefOf } from '../sync/resource-refs';
import type { AppliedObject } from './applied-objects';
import { isOlder } from './resource-version';

/** What is known of one live object: the object (absent when it is not in the cluster), or why nothing can be said. */
export interface LiveReading {
  object?: KubeObject;
  /** Set when the object's kind is not watched: neither present nor absent can be told. */
  unknown?: string;
}

/**
 * The freshest view of an object: the cache, unless Cairn's own apply answered with a newer
 * version than the cache has heard of yet (a watch event is milliseconds behind), in which
 * case that answer is the live object. Without this, an object just applied would look
 * drifted, or missing, for the moment it takes its watch event to arrive.
 */
export function readLive(
  cache: LiveStateCache,
  ref: ResourceRef,
  applied?: AppliedObject,
): LiveReading {
  const objectRef = objectRefOf(ref);
  if (!cache.isWatched(objectRef))
    return { unknown: `${ref.kind} objects (${objectRef.apiVersion}) are not watched` };
  const cached = cache.get(objectRef);
  const result = applied?.persisted ? applied.result : undefined;
  const version = result?.metadata.resourceVersion;
  if (!result) return { object: cached };
  if (cached)
    return { object: isOlder(cached.metadata.resourceVersion, version) ? result : cached };
  return { object: isOlder(cache.seenUpTo(objectRef), version) ? result : undefined };
}
