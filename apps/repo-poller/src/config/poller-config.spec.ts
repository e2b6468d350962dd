import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PollerConfig } from './poller-config';

const KEY = Buffer.alloc(32, 7).toString('base64');

describe('PollerConfig', () => {
  it('listens on 8081 and polls every 15 s into .cairn/cache/git under the cairn root by default', () => {
    const config = PollerConfig.load({ CAIRN_ENCRYPTION_KEY: KEY });
    expect(config.service).toBe('repo-poller');
    expect(config.http).toEqual({ host: '0.0.0.0', port: 8081 });
    expect(config.natsServers).toEqual(['nats://127.0.0.1:4222']);
    expect(config.natsPrefix).toBe('cairn');
    expect(config.encryptionSecret).toBe(KEY);
    expect(config.pollIntervalSeconds).toBe(15);
    expect(config.cacheDir).toBe(resolve('.cairn/cache/git'));
  });

  it('takes its settings from CAIRN_POLLER_*, CAIRN_NATS_PREFIX, CAIRN_POLL_INTERVAL_SECONDS and CAIRN_CACHE_DIR', () => {
    const config = PollerConfig.load({
      CAIRN_ENCRYPTION_KEY: KEY,
      CAIRN_POLLER_PORT: '9091',
      CAIRN_NATS_PREFIX: 'staging.cairn',
      CAIRN_POLL_INTERVAL_SECONDS: '120',
      CAIRN_CACHE_DIR: '/var/cache/cairn/git',
    });
    expect(config.http.port).toBe(9091);
    expect(config.natsPrefix).toBe('staging.cairn');
    expect(config.pollIntervalSeconds).toBe(120);
    expect(config.cacheDir).toBe('/var/cache/cairn/git');
  });

  it.each(['0', '1.5', 'often', '86401'])('rejects a poll interval of %j seconds', (value) => {
    expect(() =>
      PollerConfig.load({ CAIRN_ENCRYPTION_KEY: KEY, CAIRN_POLL_INTERVAL_SECONDS: value }),
    ).toThrow(
      `CAIRN_POLL_INTERVAL_SECONDS: expected a whole number 1-86400, got ${JSON.stringify(value)}`,
    );
  });

  it('refuses to start without an encryption key, saying what to give', () => {
    expect(() => PollerConfig.load({})).toThrow(
      'CAIRN_ENCRYPTION_KEY: expected the base64 of 32 random bytes (openssl rand -base64 32), it is not set',
    );
  });

  it.each([
    ['a short key', Buffer.alloc(16, 1).toString('base64'), 'got 16 bytes'],
    ['text that is not base64', 'not base64 at all!', 'got text that is not base64'],
  ])('refuses %s without repeating it', (_what, key, reason) => {
    const load = () => PollerConfig.load({ CAIRN_ENCRYPTION_KEY: key });
    expect(load).toThrow(`CAIRN_ENCRYPTION_KEY: expected the base64 of 32 random bytes`);
    expect(load).toThrow(reason);
    expect(load).toThrow(expect.objectContaining({ message: expect.not.stringContaining(key) }));
  });

  it('refuses a NATS prefix with wildcards or spaces', () => {
    expect(() =>
      PollerConfig.load({ CAIRN_ENCRYPTION_KEY: KEY, CAIRN_NATS_PREFIX: 'cairn.>' }),
    ).toThrow(
      `CAIRN_NATS_PREFIX: expected dot-separated tokens of letters, digits, '_' or '-', got "cairn.>"`,
    );
  });
});
