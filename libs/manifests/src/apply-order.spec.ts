import { describe, expect, it } from 'vitest';
import { sortForApply, sortForPrune } from './apply-order';

describe('apply order', () => {
  const kinds = [
    'Ingress',
    'Widget',
    'Deployment',
    'Service',
    'ConfigMap',
    'CustomResourceDefinition',
    'Namespace',
  ];
  it('puts namespaces and CRDs first, workloads before what routes to them, unknown kinds last', () => {
    expect(sortForApply(kinds.map((kind) => ({ kind }))).map((o) => o.kind)).toEqual([
      'Namespace',
      'ConfigMap',
      'CustomResourceDefinition',
      'Service',
      'Deployment',
      'Ingress',
      'Widget',
    ]);
  });
  it('prunes in the reverse order', () => {
    expect(sortForPrune(kinds.map((kind) => ({ kind }))).map((o) => o.kind)[6]).toBe('Namespace');
  });
});
