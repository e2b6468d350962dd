import type { HealthState, ResourceRef } from '@cairn/contracts';
import type { LiveStateCache } from '@cairn/kube';
import { assessResources } from '../health/assess-resources';
import type { LiveReading } from './read-live';

/**
 * Resolves with the objects' health once it is Healthy, as the cache's events tell it (no
 * polling), or with the last health seen when `timeoutMs` passes or `signal` aborts.
 */
export function untilHealthy(
  cache: LiveStateCache,
  refs: readonly ResourceRef[],
  read: (ref: ResourceRef) => LiveReading,
  opts: { timeoutMs: number; signal: AbortSignal },
): Promise<HealthState> {
  return new Promise((resolve) => {
    let health = assessResources(refs, read).health;
    const finish = () => {
      stopListening();
      clearTimeout(timer);
      opts.signal.removeEventListener('abort', finish);
      resolve(health);
    };
    const stopListening = cache.onChange(() => {
      health = assessResources(refs, read).health;
      if (health.status === 'Healthy') finish();
    });
    const timer = setTimeout(finish, opts.timeoutMs);
    opts.signal.addEventListener('abort', finish);
    if (health.status === 'Healthy' || opts.signal.aborted) finish();
  });
}
