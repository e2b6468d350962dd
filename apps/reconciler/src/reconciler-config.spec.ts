import { describe, expect, it } from 'vitest';
import { ReconcilerConfig } from './reconciler-config';

describe('ReconcilerConfig', () => {
  it('listens on 8082 and names no clusters by default', () => {
    const config = ReconcilerConfig.load({});
    expect(config.service).toBe('reconciler');
    expect(config.http).toEqual({ host: '0.0.0.0', port: 8082 });
    expect(config.natsServers).toEqual(['nats://127.0.0.1:4222']);
    expect(config.clusters).toEqual([]);
  });

  it('reads CAIRN_CLUSTERS as a comma-separated list', () => {
    const config = ReconcilerConfig.load({ CAIRN_CLUSTERS: 'prod-eu, staging ,prod-eu' });
    expect(config.clusters).toEqual(['prod-eu', 'staging']);
  });

  it('rejects a cluster name that could not be a NATS subject token', () => {
    expect(() => ReconcilerConfig.load({ CAIRN_CLUSTERS: 'prod,eu.west' })).toThrow(
      'CAIRN_CLUSTERS: expected a comma-separated list of cluster names (DNS-1123 labels), got "prod,eu.west"',
    );
  });
});
