import { describe, expect, it } from 'vitest';
import { containsField, fieldsOwnedBy, unionOf } from './field-set';
import { ownedFields, projectOnto } from './owned-fields';
import { fixture } from './testdata/fixture';

describe('field sets', () => {
  const scaled = fixture('deployment-scaled');

  it("reads one manager's fields, and nothing for a manager that owns none", () => {
    expect(fieldsOwnedBy(scaled, 'kubectl')).toEqual({ 'f:spec': { 'f:replicas': {} } });
    expect(fieldsOwnedBy(scaled, 'kubectl', 'Apply')).toEqual({});
    expect(fieldsOwnedBy(scaled, 'nobody')).toEqual({});
  });

  it('knows a field is held when an atomic field above it is', () => {
    const set = unionOf({ 'f:spec': { 'f:selector': {} } }, { 'f:metadata': { 'f:name': {} } });
    expect(containsField(set, ['f:spec', 'f:selector', 'f:matchLabels'])).toBe(true);
    expect(containsField(set, ['f:metadata', 'f:name'])).toBe(true);
    expect(containsField(set, ['f:spec', 'f:replicas'])).toBe(false);
    expect(containsField({}, ['f:spec'])).toBe(false);
  });

  it('walks list items by key, with paths for people and pointers into the object', () => {
    const fields = ownedFields(fieldsOwnedBy(scaled, 'cairn'), scaled);
    expect(fields.find((f) => f.path.endsWith('.image'))).toMatchObject({
      path: '.spec.template.spec.containers[name=web].image',
      pointer: '/spec/template/spec/containers/0/image',
      value: 'nginx:1.27',
      kind: 'value',
    });
    expect(fields.find((f) => f.path.endsWith('cairn.dev/app"]'))).toMatchObject({
      path: '.metadata.labels["cairn.dev/app"]',
      pointer: '/metadata/labels/cairn.dev~1app',
      value: 'shop',
    });
    expect(fields.find((f) => f.path.endsWith('[name=MODE]'))?.kind).toBe('presence');
  });

  it('walks set items by value and list items by index', () => {
    const set = {
      'f:metadata': { 'f:finalizers': { '.': {}, 'v:"a/b"': {} } },
      'f:args': { 'i:1': {} },
    };
    const fields = ownedFields(set, { metadata: { finalizers: ['x', 'a/b'] }, args: ['p', 'q'] });
    expect(fields.map((f) => [f.path, f.pointer, f.value])).toEqual([
      ['.metadata.finalizers[value=a/b]', '/metadata/finalizers/1', 'a/b'],
      ['.args[1]', '/args/1', 'q'],
    ]);
  });

  it('projects an object onto a field set: only what the manager declared', () => {
    const projected = projectOnto(fieldsOwnedBy(scaled, 'kubectl'), scaled);
    expect(projected).toEqual({ spec: { replicas: 5 } });
  });
});
