import type { ResourceRef } from '@cairn/contracts';
import type { LiveStateCache } from '@cairn/kube';
import type { Logger } from '@nestjs/common';
import { objectRefOf } from '../sync/resource-refs';

/**
 * Makes sure the cache watches the kinds of these objects (a no-op once it does). A kind
 * that cannot be watched is logged and left out: its objects read as unknown, and the
 * next call tries it again.
 */
export async function ensureWatched(
  cache: LiveStateCache,
  refs: readonly ResourceRef[],
  log: { logger: Logger; cluster: string; app: string },
): Promise<void> {
  const kinds = new Map<string, { apiVersion: string; kind: string }>();
  for (const ref of refs) {
    const { apiVersion, kind } = objectRefOf(ref);
    if (!cache.isWatched({ apiVersion, kind }))
      kinds.set(`${apiVersion}/${kind}`, { apiVersion, kind });
  }
  await Promise.all(
    [...kinds.values()].map((kind) =>
      cache.ensure([kind]).catch((error: unknown) =>
        log.logger.warn({
          msg: 'cannot watch a kind the app owns; its objects read as unknown',
          cluster: log.cluster,
          app: log.app,
          kind: `${kind.kind} (${kind.apiVersion})`,
          error: error instanceof Error ? error.message : String(error),
        }),
      ),
    ),
  );
}
