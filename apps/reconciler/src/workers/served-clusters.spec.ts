import type { ClusterRegistration } from '@cairn/contracts';
import { describe, expect, it } from 'vitest';
import { servedClusters } from './served-clusters';

const cluster = (name: string, mode: 'direct' | 'agent'): ClusterRegistration => ({
  v: 1,
  name,
  mode,
  updatedAt: '2025-01-31T12:00:00Z',
});
const registered = [cluster('prod', 'direct'), cluster('edge', 'agent'), cluster('dev', 'direct')];
const names = (clusters: ClusterRegistration[]) => clusters.map((c) => c.name);

describe('servedClusters', () => {
  it('serves every direct-mode cluster when CAIRN_CLUSTERS is unset', () => {
    expect(names(servedClusters([], registered))).toEqual(['prod', 'dev']);
  });

  it('serves exactly the named clusters, agent mode included, once they are registered', () => {
    expect(names(servedClusters(['edge', 'staging'], registered))).toEqual(['edge']);
  });
});
