import { describe, expect, it } from 'vitest';
import { ApplicationSpec } from './application-spec';
import { decode } from './codec';

const base = {
  source: { repoURL: 'http://git.example/team/apps.git' },
  destination: { name: 'prod' },
};

describe('ApplicationSpec.ignoreDifferences', () => {
  it('is optional, so specs stored before it still decode unchanged', () => {
    expect(decode(ApplicationSpec, base)).not.toHaveProperty('ignoreDifferences');
  });

  it("takes Argo CD's entries, with the core group and empty lists by default", () => {
    const spec = decode(ApplicationSpec, {
      ...base,
      ignoreDifferences: [
        { group: 'apps', kind: 'Deployment', jsonPointers: ['/spec/replicas'] },
        { kind: 'ConfigMap', name: 'ca', managedFieldsManagers: ['cert-manager'] },
      ],
    });
    expect(spec.ignoreDifferences).toEqual([
      {
        group: 'apps',
        kind: 'Deployment',
        jsonPointers: ['/spec/replicas'],
        managedFieldsManagers: [],
      },
      {
        group: '',
        kind: 'ConfigMap',
        name: 'ca',
        jsonPointers: [],
        managedFieldsManagers: ['cert-manager'],
      },
    ]);
  });

  it('names a pointer that is not one', () => {
    expect(() =>
      decode(ApplicationSpec, {
        ...base,
        ignoreDifferences: [{ kind: 'Deployment', jsonPointers: ['spec.replicas'] }],
      }),
    ).toThrow('ignoreDifferences[0].jsonPointers[0]: must be a JSON pointer, e.g. /spec/replicas');
  });
});
