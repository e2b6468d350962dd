import { describe, expect, it } from 'vitest';
import { ApplicationSpec } from './application-spec';
import { ContractViolation, decode } from './codec';

const source = { repoURL: 'http://git.example/team/apps.git', path: 'web', targetRevision: 'main' };

describe('ApplicationSpec', () => {
  it('fills Argo CD defaults', () => {
    const spec = decode(ApplicationSpec, {
      source: { repoURL: source.repoURL },
      destination: { name: 'prod', namespace: 'web' },
    });
    expect(spec.source).toEqual({ repoURL: source.repoURL, path: '.', targetRevision: 'HEAD' });
    expect(spec.syncPolicy).toEqual({ syncOptions: [] });
  });

  it('names a missing destination', () => {
    expect(() => decode(ApplicationSpec, { source })).toThrow(ContractViolation);
    expect(() => decode(ApplicationSpec, { source })).toThrow(/^invalid .*destination: /);
  });

  it('names a destination without a cluster', () => {
    expect(() => decode(ApplicationSpec, { source, destination: { namespace: 'web' } })).toThrow(
      'destination: names no cluster: give destination.name or destination.server',
    );
  });

  it('names an invalid namespace and a missing repoURL', () => {
    expect(() =>
      decode(ApplicationSpec, {
        source: { path: 'x' },
        destination: { name: 'prod', namespace: 'Web App' },
      }),
    ).toThrow(/source\.repoURL: is required.*destination\.namespace: must be a DNS-1123 label/);
  });

  it('reads automated sync with its defaults', () => {
    const spec = decode(ApplicationSpec, {
      source,
      destination: { server: 'https://10.0.0.1:6443' },
      syncPolicy: { automated: {} },
    });
    expect(spec.syncPolicy.automated).toEqual({ prune: false, selfHeal: false });
  });
});
