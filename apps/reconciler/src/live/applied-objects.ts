import type { ResourceRef } from '@cairn/contracts';
import type { KubeObject } from '@cairn/kube';
import type { KubernetesObject } from '@cairn/manifests';
import { refKey, refOf } from '../sync/resource-refs';

/** One object of the last synced revision: what Cairn declares, and what the API server made of it. */
export interface AppliedObject {
  ref: ResourceRef;
  /** As prepared for applying (namespace settled, Cairn's marks): what a revert applies again. */
  declared: KubernetesObject;
  /**
   * The API server's answer to applying it: defaulted, normalised, with Cairn's managed
   * fields, so drift is the live object's difference from it in the fields Cairn owns, with
   * no dry run per watch event. From a dry run when it was rebuilt after a restart.
   */
  result: KubeObject;
  /** False for a dry run's answer, whose resource version says nothing about the cache. */
  persisted: boolean;
}

export interface AppliedRevision {
  revision: string;
  bundleDigest: string;
  objects: Map<string, AppliedObject>;
}

/**
 * What each app of one cluster last synced, object by object, in memory: written by every
 * sync and revert, rebuilt after a restart. The baseline drift is measured against.
 */
export class AppliedObjects {
  private readonly apps = new Map<string, AppliedRevision>();

  get(app: string): AppliedRevision | undefined {
    return this.apps.get(app);
  }

  remember(
    app: string,
    revision: Pick<AppliedRevision, 'revision' | 'bundleDigest'>,
    objects: ReadonlyArray<Omit<AppliedObject, 'ref'>>,
  ): void {
    this.apps.set(app, {
      ...revision,
      objects: new Map(
        objects.map((o) => [refKey(refOf(o.declared)), { ...o, ref: refOf(o.declared) }]),
      ),
    });
  }

  /**
   * A sync that failed part way: what it did apply is the baseline of those objects now,
   * declared and answer, while the revision stays the last one synced in full.
   */
  merge(
    app: string,
    applied: ReadonlyArray<{ declared: KubernetesObject; result: KubeObject }>,
  ): void {
    const kept = this.apps.get(app);
    if (!kept) return;
    for (const { declared, result } of applied)
      kept.objects.set(refKey(refOf(declared)), {
        ref: refOf(declared),
        declared,
        result,
        persisted: true,
      });
  }

  /** A revert's answer replaces the object's baseline. */
  update(app: string, result: KubeObject): void {
    const entry = this.apps.get(app)?.objects.get(refKey(refOf(result)));
    if (entry) Object.assign(entry, { result, persisted: true });
  }

  forget(app: string): void {
    this.apps.delete(app);
  }
}
