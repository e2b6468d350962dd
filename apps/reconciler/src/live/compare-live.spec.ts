import type { AppStatus, ResourceRef } from '@cairn/contracts';
import type { KubeObject } from '@cairn/kube';
import { describe, expect, it } from 'vitest';
import { refKey } from '../sync/resource-refs';
import type { AppliedObject, AppliedRevision } from './applied-objects';
import { compareLive, describeDrift } from './compare-live';
import { DriftMemory } from './drift-memory';

/** A ConfigMap as the API server answers Cairn's apply of `data`: Cairn owns each key. */
function applied(name: string, data: Record<string, string>, rv = '10'): KubeObject {
  const fields = Object.fromEntries(Object.keys(data).map((k) => [`f:${k}`, {}]));
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name,
      namespace: 'shop',
      resourceVersion: rv,
      managedFields: [
        {
          manager: 'cairn',
          operation: 'Apply',
          fieldsType: 'FieldsV1',
          fieldsV1: { 'f:data': fields },
        },
      ],
    },
    data,
  };
}
const ref = (name: string): ResourceRef => ({
  group: '',
  version: 'v1',
  kind: 'ConfigMap',
  namespace: 'shop',
  name,
});

function revision(...objects: KubeObject[]): AppliedRevision {
  const entries = objects.map((o): [string, AppliedObject] => {
    const r = ref(o.metadata.name);
    return [refKey(r), { ref: r, declared: o, result: o, persisted: true }];
  });
  return {
    revision: 'a'.repeat(40),
    bundleDigest: `sha256:${'0'.repeat(64)}`,
    objects: new Map(entries),
  };
}

describe('compareLive', () => {
  const baseline = revision(
    applied('settings', { color: 'blue' }),
    applied('flags', { on: 'yes' }),
  );

  it('tells drifted fields, deleted objects, leftovers and unwatched kinds apart', () => {
    const widget = { ...applied('w', {}), apiVersion: 'example.com/v1', kind: 'Widget' };
    const widgetRef = { ...ref('w'), group: 'example.com', kind: 'Widget' };
    const withWidget: AppliedRevision = {
      ...baseline,
      objects: new Map([
        ...baseline.objects,
        [refKey(widgetRef), { ref: widgetRef, declared: widget, result: widget, persisted: true }],
      ]),
    };
    const edited = applied('settings', { color: 'red' });
    edited.metadata.labels = { added: 'by someone else' };
    const comparisons = compareLive({
      inventory: [ref('settings'), ref('flags'), ref('old'), widgetRef],
      applied: withWidget,
      read: (r) =>
        r.kind === 'Widget'
          ? { unknown: 'Widget objects are not watched' }
          : { object: r.name === 'settings' ? edited : undefined },
    });
    expect(comparisons.map((c) => [c.ref.name, c.status])).toEqual([
      ['settings', 'OutOfSync'],
      ['flags', 'OutOfSync'],
      ['old', 'OutOfSync'],
      ['w', 'Unknown'],
    ]);
    expect(comparisons.slice(0, 2).map(describeDrift)).toEqual([
      'ConfigMap shop/settings: data.color',
      'ConfigMap shop/flags: deleted',
    ]);
    expect(comparisons[2]).toMatchObject({ requiresPruning: true });
    expect(comparisons[2].drift).toBeUndefined();
  });

  it('finds nothing when the live object is the one applied', () => {
    const [settings] = compareLive({
      inventory: [ref('settings')],
      applied: baseline,
      read: () => ({ object: applied('settings', { color: 'blue' }, '11') }),
    });
    expect(settings).toEqual({ ref: ref('settings'), status: 'Synced' });
  });

  it('applies ignoreDifferences of the app', () => {
    const [settings] = compareLive({
      inventory: [ref('settings')],
      applied: baseline,
      read: () => ({ object: applied('settings', { color: 'red' }) }),
      ignoreDifferences: [
        {
          group: '',
          kind: 'ConfigMap',
          name: 'settings',
          jsonPointers: ['/data/color'],
          managedFieldsManagers: [],
        },
      ],
    });
    expect(settings.status).toBe('Synced');
  });
});

describe('DriftMemory', () => {
  const status = (resources: AppStatus['resources']) => ({ resources }) as AppStatus;
  const drifted = (name: string, path: string) => ({
    ref: ref(name),
    status: 'OutOfSync' as const,
    drift: { missing: false, differences: [{ path }] },
  });

  it('announces a drift once, again when it becomes another, and again after it was resolved', () => {
    const memory = new DriftMemory();
    const none = status([]);
    expect(memory.announce('shop', none, [drifted('a', 'data.x')])).toHaveLength(1);
    expect(memory.announce('shop', none, [drifted('a', 'data.x')])).toHaveLength(0);
    expect(memory.announce('shop', none, [drifted('a', 'data.y')])).toHaveLength(1);
    expect(memory.announce('shop', none, [{ ref: ref('a'), status: 'Synced' }])).toHaveLength(0);
    expect(memory.announce('shop', none, [drifted('a', 'data.y')])).toHaveLength(1);
  });

  it('after a restart, takes what the last status showed OutOfSync as announced', () => {
    const memory = new DriftMemory();
    const before = status([{ ...ref('a'), status: 'OutOfSync' }]);
    expect(
      memory.announce('shop', before, [drifted('a', 'data.x'), drifted('b', 'data.z')]),
    ).toEqual([drifted('b', 'data.z')]);
    expect(memory.announce('shop', before, [drifted('a', 'data.w')])).toHaveLength(1);
  });
});
