import type { KubeObject } from '@cairn/kube';
import { describeRef, refKey } from '../sync/resource-refs';
import { SecretMask } from '../sync/secret-mask';
import { messageOf } from '../sync/sync-failure';
import { shortRevision } from '../sync/sync-request';
import type { WorkerContext } from '../workers/worker-context';
import type { AppliedRevision } from './applied-objects';
import { describeDrift, type ResourceComparison } from './compare-live';
import { RevertBackoff } from './revert-backoff';

/**
 * syncPolicy.automated.selfHeal: drifted objects are applied again exactly as the last
 * sync declared them (the rest of the app is left alone), each behind its own backoff.
 * A revert held back is retried when its wait is over.
 */
export class SelfHeal {
  private readonly backoff = new RevertBackoff();

  constructor(
    private readonly ctx: WorkerContext,
    private readonly retryIn: (app: string, ms: number) => void,
  ) {}

  async revert(
    app: string,
    applied: AppliedRevision,
    drifted: readonly ResourceComparison[],
  ): Promise<void> {
    const reverted: ResourceComparison[] = [];
    const failures: string[] = [];
    const mask = SecretMask.of([...applied.objects.values()].map((o) => o.declared));
    for (const comparison of drifted) {
      const key = `${app}/${refKey(comparison.ref)}`;
      const object = applied.objects.get(refKey(comparison.ref));
      const wait = this.backoff.delay(key, Date.now());
      if (!object) continue;
      if (wait > 0) {
        this.retryIn(app, wait);
        continue;
      }
      this.backoff.reverted(key, Date.now());
      try {
        this.ctx.applied.update(app, await this.ctx.client.apply<KubeObject>(object.declared));
        reverted.push(comparison);
      } catch (error) {
        failures.push(`${describeRef(comparison.ref)}: ${mask.apply(messageOf(error))}`);
        this.retryIn(app, this.backoff.delay(key, Date.now()));
      }
    }
    if (reverted.length > 0) {
      const what = reverted.map(describeDrift).join('; ');
      await this.ctx.events.emit(
        app,
        'DriftReverted',
        `reverted drift by applying ${shortRevision(applied.revision)} again (self-heal): ${what}`,
        { revision: applied.revision, reason: 'SelfHeal', resources: reverted.map((c) => c.ref) },
      );
      this.ctx.logger.log({ msg: 'drift reverted', app, cluster: this.ctx.cluster, drift: what });
    }
    if (failures.length > 0)
      this.ctx.logger.warn({
        msg: 'self-heal could not revert drift; retried with backoff',
        app,
        cluster: this.ctx.cluster,
        errors: failures,
      });
  }

  forget(app: string): void {
    this.backoff.forget(`${app}/`);
  }
}
