import { SecretBox } from '@cairn/secrets';
import { describe, expect, it } from 'vitest';
import { ReconcilerConfig } from './reconciler-config';

const KEY = SecretBox.generateKey();

describe('ReconcilerConfig', () => {
  it('listens on 8082, uses the cairn root and names no clusters by default', () => {
    const config = ReconcilerConfig.load({ CAIRN_ENCRYPTION_KEY: KEY });
    expect(config.service).toBe('reconciler');
    expect(config.http).toEqual({ host: '0.0.0.0', port: 8082 });
    expect(config.natsServers).toEqual(['nats://127.0.0.1:4222']);
    expect(config.natsPrefix).toBe('cairn');
    expect(config.clusters).toEqual([]);
    expect(config.resyncSeconds).toBe(600);
  });

  it('reads the safety resync interval from CAIRN_RESYNC_SECONDS', () => {
    const config = ReconcilerConfig.load({ CAIRN_ENCRYPTION_KEY: KEY, CAIRN_RESYNC_SECONDS: '30' });
    expect(config.resyncSeconds).toBe(30);
    expect(() =>
      ReconcilerConfig.load({ CAIRN_ENCRYPTION_KEY: KEY, CAIRN_RESYNC_SECONDS: '0' }),
    ).toThrow('CAIRN_RESYNC_SECONDS');
  });

  it('opens what the api sealed with the same key', () => {
    const sealed = SecretBox.fromBase64Key(KEY).seal('{"kubeconfig":"..."}');
    const config = ReconcilerConfig.load({ CAIRN_ENCRYPTION_KEY: KEY });
    expect(config.secretBox?.open(sealed)).toBe('{"kubeconfig":"..."}');
  });

  it('reads CAIRN_CLUSTERS as a comma-separated list and CAIRN_NATS_PREFIX as the root', () => {
    const config = ReconcilerConfig.load({
      CAIRN_ENCRYPTION_KEY: KEY,
      CAIRN_CLUSTERS: 'prod-eu, staging ,prod-eu',
      CAIRN_NATS_PREFIX: 'staging.cairn',
    });
    expect(config.clusters).toEqual(['prod-eu', 'staging']);
    expect(config.natsPrefix).toBe('staging.cairn');
  });

  it('rejects a cluster name that could not be a NATS subject token', () => {
    expect(() =>
      ReconcilerConfig.load({ CAIRN_ENCRYPTION_KEY: KEY, CAIRN_CLUSTERS: 'prod,eu.west' }),
    ).toThrow(
      'CAIRN_CLUSTERS: expected a comma-separated list of cluster names (DNS-1123 labels), got "prod,eu.west"',
    );
  });

  describe('in agent mode (CAIRN_AGENT_CLUSTER)', () => {
    it('serves that one cluster with the kubeconfig it is given, and needs no encryption key', () => {
      const config = ReconcilerConfig.load({
        CAIRN_AGENT_CLUSTER: 'edge-1',
        CAIRN_AGENT_KUBECONFIG: '/etc/cairn/kubeconfig',
      });
      expect(config.agent).toEqual({
        cluster: 'edge-1',
        kubeconfig: { path: '/etc/cairn/kubeconfig' },
      });
      expect(config.clusters).toEqual(['edge-1']);
      expect(config.secretBox).toBeUndefined();
    });

    it("uses the pod's service account when no kubeconfig is given inside Kubernetes", () => {
      const config = ReconcilerConfig.load({
        CAIRN_AGENT_CLUSTER: 'edge-1',
        KUBERNETES_SERVICE_HOST: '10.96.0.1',
      });
      expect(config.agent).toEqual({ cluster: 'edge-1', kubeconfig: 'in-cluster' });
    });

    it('asks for a kubeconfig outside Kubernetes', () => {
      expect(() => ReconcilerConfig.load({ CAIRN_AGENT_CLUSTER: 'edge-1' })).toThrow(
        'CAIRN_AGENT_KUBECONFIG: expected the path of a kubeconfig for cluster "edge-1", it is not set and this is not a Kubernetes pod',
      );
    });

    it('refuses the encryption key, which a remote cluster must not hold', () => {
      const load = () =>
        ReconcilerConfig.load({
          CAIRN_AGENT_CLUSTER: 'edge-1',
          CAIRN_AGENT_KUBECONFIG: '/etc/cairn/kubeconfig',
          CAIRN_ENCRYPTION_KEY: KEY,
        });
      expect(load).toThrow('CAIRN_ENCRYPTION_KEY: an agent opens no sealed credentials');
      expect(load).toThrow(expect.objectContaining({ message: expect.not.stringContaining(KEY) }));
    });

    it('refuses CAIRN_CLUSTERS beside it, and a cluster name that is not a DNS label', () => {
      expect(() =>
        ReconcilerConfig.load({
          CAIRN_AGENT_CLUSTER: 'edge-1',
          CAIRN_AGENT_KUBECONFIG: '/k',
          CAIRN_CLUSTERS: 'edge-1,prod',
        }),
      ).toThrow('CAIRN_CLUSTERS: an agent serves only its own cluster');
      expect(() =>
        ReconcilerConfig.load({ CAIRN_AGENT_CLUSTER: 'Edge.1', CAIRN_AGENT_KUBECONFIG: '/k' }),
      ).toThrow('CAIRN_AGENT_CLUSTER: expected a cluster name (a DNS-1123 label), got "Edge.1"');
    });

    it('reads CAIRN_AGENT_KUBECONFIG only in agent mode', () => {
      expect(() =>
        ReconcilerConfig.load({ CAIRN_ENCRYPTION_KEY: KEY, CAIRN_AGENT_KUBECONFIG: '/k' }),
      ).toThrow('CAIRN_AGENT_KUBECONFIG: only an agent reads it; set CAIRN_AGENT_CLUSTER');
    });
  });

  it('refuses to start without an encryption key, saying what to give', () => {
    expect(() => ReconcilerConfig.load({})).toThrow(
      'CAIRN_ENCRYPTION_KEY: expected the base64 of 32 random bytes (openssl rand -base64 32), it is not set',
    );
  });

  it.each([
    ['a short key', Buffer.alloc(16, 1).toString('base64'), 'got 16 bytes'],
    ['text that is not base64', 'not base64 at all!', 'got text that is not base64'],
  ])('refuses %s without repeating it', (_what, key, reason) => {
    const load = () => ReconcilerConfig.load({ CAIRN_ENCRYPTION_KEY: key });
    expect(load).toThrow(reason);
    expect(load).toThrow(expect.objectContaining({ message: expect.not.stringContaining(key) }));
  });

  it('refuses a NATS prefix with wildcards', () => {
    expect(() =>
      ReconcilerConfig.load({ CAIRN_ENCRYPTION_KEY: KEY, CAIRN_NATS_PREFIX: 'cairn.>' }),
    ).toThrow(
      `CAIRN_NATS_PREFIX: expected dot-separated tokens of letters, digits, '_' or '-', got "cairn.>"`,
    );
  });
});
