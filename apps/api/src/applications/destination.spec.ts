import { describe, expect, it } from 'vitest';
import { normalizeServer, resolveDestination } from './destination';

const clusters = [
  { name: 'prod', server: 'https://prod.example.com:6443' },
  { name: 'prod-tenant', server: 'https://shared.example.com' },
  { name: 'other-tenant', server: 'https://shared.example.com/' },
  { name: 'edge', server: null },
];

describe('resolveDestination', () => {
  it('resolves a registered name, agent clusters included', () => {
    expect(resolveDestination({ name: 'edge' }, clusters)).toEqual({ cluster: 'edge' });
  });

  it('resolves a server URL however it is spelled', () => {
    expect(resolveDestination({ server: 'https://PROD.example.com:6443/' }, clusters)).toEqual({
      cluster: 'prod',
    });
  });

  it('names the field at fault when nothing, or more than one cluster, matches', () => {
    expect(resolveDestination({ name: 'mars' }, clusters)).toEqual({
      problem: { path: 'spec.destination.name', reason: expect.stringContaining('"mars"') },
    });
    expect(resolveDestination({ server: 'https://mars:6443' }, clusters)).toEqual({
      problem: {
        path: 'spec.destination.server',
        reason: expect.stringContaining('no registered'),
      },
    });
    expect(resolveDestination({ server: 'https://shared.example.com' }, clusters)).toEqual({
      problem: {
        path: 'spec.destination.server',
        reason: expect.stringContaining('"prod-tenant", "other-tenant"'),
      },
    });
  });

  it('refuses a destination with both name and server, as Argo CD does', () => {
    expect(
      resolveDestination({ name: 'prod', server: 'https://prod.example.com:6443' }, clusters),
    ).toEqual({
      problem: { path: 'spec.destination', reason: expect.stringContaining('not both') },
    });
  });
});

describe('normalizeServer', () => {
  it('ignores host case and trailing slashes, keeps ports and paths', () => {
    expect(normalizeServer('https://K8S.example.com:6443/')).toBe('https://k8s.example.com:6443');
    expect(normalizeServer('https://rancher.example.com/k8s/clusters/c-1/')).toBe(
      'https://rancher.example.com/k8s/clusters/c-1',
    );
    expect(normalizeServer('https://k8s.example.com:443')).toBe('https://k8s.example.com');
  });
});
