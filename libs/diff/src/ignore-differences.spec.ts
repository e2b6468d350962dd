import { describe, expect, it } from 'vitest';
import { ignoreRulesFor, isUnderPointer, withoutPointer } from './ignore-differences';

const web = { group: 'apps', kind: 'Deployment', namespace: 'shop', name: 'web' };

describe('ignoreRulesFor', () => {
  it('merges every entry that matches the object, by group, kind, name and namespace', () => {
    const rules = ignoreRulesFor(
      [
        { group: 'apps', kind: 'Deployment', jsonPointers: ['/spec/replicas'] },
        { group: 'apps', kind: 'Deployment', name: 'api', jsonPointers: ['/spec/paused'] },
        { group: '*', kind: '*', namespace: 'shop', managedFieldsManagers: ['hpa'] },
        { kind: 'Deployment', jsonPointers: ['/core/group/only'] },
      ],
      web,
    );
    expect(rules).toEqual({ jsonPointers: ['/spec/replicas'], managedFieldsManagers: ['hpa'] });
  });

  it('matches the core group when the entry names none', () => {
    const rules = ignoreRulesFor([{ kind: 'ConfigMap', jsonPointers: ['/data'] }], {
      group: '',
      kind: 'ConfigMap',
      name: 'settings',
    });
    expect(rules.jsonPointers).toEqual(['/data']);
  });
});

describe('JSON pointers', () => {
  it('tells a pointer under another from a sibling that shares its prefix', () => {
    expect(isUnderPointer('/spec/replicas', '/spec/replicas')).toBe(true);
    expect(isUnderPointer('/spec/template/spec', '/spec/template')).toBe(true);
    expect(isUnderPointer('/spec/replicasMax', '/spec/replicas')).toBe(false);
    expect(isUnderPointer(undefined, '/spec')).toBe(false);
  });

  it('removes what a relative pointer names, escaped keys and list indices included', () => {
    const value = { labels: { 'app.kubernetes.io/name': 'web', tier: 'x' }, list: [1, 2, 3] };
    expect(withoutPointer(value, '/labels/app.kubernetes.io~1name')).toEqual({
      labels: { tier: 'x' },
      list: [1, 2, 3],
    });
    expect(withoutPointer(value, '/list/1')).toEqual({ ...value, list: [1, 3] });
    expect(value.labels).toHaveProperty('app.kubernetes.io/name'); // not mutated
  });
});
