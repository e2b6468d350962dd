import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ClusterRegistration } from '@cairn/contracts';
import { describe, expect, it } from 'vitest';
import { ClusterAccess } from './cluster-access';

const directory = mkdtempSync(join(tmpdir(), 'cluster-access-'));

function kubeconfig(name: string, user: Record<string, unknown>): string {
  const path = join(directory, name);
  writeFileSync(
    path,
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'edge', cluster: { server: 'https://edge.example:6443' } }],
      users: [{ name: 'agent', user }],
      contexts: [{ name: 'edge', context: { cluster: 'edge', user: 'agent' } }],
      'current-context': 'edge',
    }),
  );
  return path;
}

const registration = (name: string, mode: 'agent' | 'direct'): ClusterRegistration => ({
  v: 1,
  name,
  mode,
  updatedAt: '2026-01-31T12:00:00Z',
});

const agent = (path: string) =>
  ClusterAccess.of({ agent: { cluster: 'edge', kubeconfig: { path } }, secretBox: undefined });

describe('an agent reaches its cluster', () => {
  it('with the kubeconfig it was given, for its own cluster registered in agent mode', () => {
    const access = agent(kubeconfig('token', { token: 'a-service-account-token' }));
    const kc = access.kubeConfig(registration('edge', 'agent'));
    expect(kc.getCurrentCluster()?.server).toBe('https://edge.example:6443');
  });

  it('and not for another cluster, nor for its own registered in direct mode', () => {
    const access = agent(kubeconfig('token', { token: 'a-service-account-token' }));
    expect(() => access.kubeConfig(registration('prod', 'agent'))).toThrow(
      'this agent serves cluster "edge" only, not "prod"',
    );
    expect(() => access.kubeConfig(registration('edge', 'direct'))).toThrow(
      `cluster "edge" is registered in direct mode, so the control plane's reconciler serves it`,
    );
  });

  it('refuses, at start, a kubeconfig that would run a program', () => {
    const path = kubeconfig('exec', {
      exec: { apiVersion: 'client.authentication.k8s.io/v1', command: 'aws', args: ['eks'] },
    });
    expect(() => agent(path)).toThrow(
      `CAIRN_AGENT_KUBECONFIG ${path}: kubeconfig user "agent": exec plugins are not allowed`,
    );
  });

  it('names the file it cannot read', () => {
    const path = join(directory, 'missing');
    expect(() => agent(path)).toThrow(`CAIRN_AGENT_KUBECONFIG ${path}: ENOENT`);
  });
});
