import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PollerConfig } from './poller-config';

describe('PollerConfig', () => {
  it('listens on 8081 and polls every 15 s into .cairn/cache/git by default', () => {
    const config = PollerConfig.load({});
    expect(config.service).toBe('repo-poller');
    expect(config.http).toEqual({ host: '0.0.0.0', port: 8081 });
    expect(config.natsServers).toEqual(['nats://127.0.0.1:4222']);
    expect(config.pollIntervalSeconds).toBe(15);
    expect(config.cacheDir).toBe(resolve('.cairn/cache/git'));
  });

  it('takes its settings from CAIRN_POLLER_*, CAIRN_POLL_INTERVAL_SECONDS and CAIRN_CACHE_DIR', () => {
    const config = PollerConfig.load({
      CAIRN_POLLER_PORT: '9091',
      CAIRN_POLL_INTERVAL_SECONDS: '120',
      CAIRN_CACHE_DIR: '/var/cache/cairn/git',
    });
    expect(config.http.port).toBe(9091);
    expect(config.pollIntervalSeconds).toBe(120);
    expect(config.cacheDir).toBe('/var/cache/cairn/git');
  });

  it.each(['0', '1.5', 'often', '86401'])('rejects a poll interval of %j seconds', (value) => {
    expect(() => PollerConfig.load({ CAIRN_POLL_INTERVAL_SECONDS: value })).toThrow(
      `CAIRN_POLL_INTERVAL_SECONDS: expected a whole number 1-86400, got ${JSON.stringify(value)}`,
    );
  });
});
