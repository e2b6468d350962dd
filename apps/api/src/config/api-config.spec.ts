import { resolve } from 'node:path';
import { ConfigError } from '@cairn/runtime';
import { describe, expect, it } from 'vitest';
import { ApiConfig } from './api-config';

const KEY = 'q83vEjRWeJq8UU0Glf1y3Q7HyHcY0q+VQuF3Y9kKx6E=';

describe('ApiConfig', () => {
  it('listens on 0.0.0.0:8080 and uses the local NATS and PostgreSQL by default', () => {
    const config = ApiConfig.load({ CAIRN_ENCRYPTION_KEY: KEY });
    expect(config.service).toBe('api');
    expect(config.http).toEqual({ host: '0.0.0.0', port: 8080 });
    expect(config.natsServers).toEqual(['nats://127.0.0.1:4222']);
    expect(config.topologyRoot).toBe('cairn');
    expect(config.databaseUrl).toBe('postgres://postgres@127.0.0.1:5432/cairn');
    expect(config.adminToken).toBeUndefined();
    expect(config.adminTokenFile).toBe(resolve('.cairn/admin-token'));
  });

  it('takes its settings from CAIRN_API_* and the shared variables', () => {
    const config = ApiConfig.load({
      CAIRN_API_HOST: '127.0.0.1',
      CAIRN_API_PORT: '9090',
      CAIRN_NATS_URL: 'nats://nats-0:4222,nats://nats-1:4222',
      CAIRN_NATS_PREFIX: 'cairn.staging',
      CAIRN_DATABASE_URL: 'postgresql://cairn:pw@db:5432/cairn',
      CAIRN_ENCRYPTION_KEY: KEY,
      CAIRN_ADMIN_TOKEN: 'a-long-enough-admin-token',
      CAIRN_ADMIN_TOKEN_FILE: '/var/lib/cairn/token',
      CAIRN_LOG_LEVEL: 'warn',
    });
    expect(config.http).toEqual({ host: '127.0.0.1', port: 9090 });
    expect(config.natsServers).toEqual(['nats://nats-0:4222', 'nats://nats-1:4222']);
    expect(config.topologyRoot).toBe('cairn.staging');
    expect(config.databaseUrl).toBe('postgresql://cairn:pw@db:5432/cairn');
    expect(config.encryptionKey).toBe(KEY);
    expect(config.adminToken).toBe('a-long-enough-admin-token');
    expect(config.adminTokenFile).toBe('/var/lib/cairn/token');
    expect(config.logLevel).toBe('warn');
  });

  it('rejects a database URL that is not PostgreSQL, naming the variable', () => {
    const load = () =>
      ApiConfig.load({ CAIRN_DATABASE_URL: 'mysql://db/cairn', CAIRN_ENCRYPTION_KEY: KEY });
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(
      /CAIRN_DATABASE_URL: expected a URL starting with postgres:\/\/ or postgresql:\/\//,
    );
  });

  it.each([
    [undefined, 'it is not set'],
    ['', 'it is not set'],
    ['c2hvcnQ=', 'got 5 bytes'],
    ['not base64 at all!', 'got text that is not base64'],
  ])('refuses to start without a usable encryption key (%j)', (value, got) => {
    expect(() => ApiConfig.load({ CAIRN_ENCRYPTION_KEY: value })).toThrow(
      `CAIRN_ENCRYPTION_KEY: expected 32 random bytes in base64 (openssl rand -base64 32), ${got}`,
    );
  });

  it('never echoes a bad secret in its error', () => {
    const problems = (environment: NodeJS.ProcessEnv) => {
      try {
        ApiConfig.load(environment);
      } catch (error) {
        return (error as ConfigError).message;
      }
      throw new Error('expected a ConfigError');
    };
    const message = problems({
      CAIRN_ENCRYPTION_KEY: 'c2VjcmV0LWtleQ==',
      CAIRN_ADMIN_TOKEN: 'hunter2',
    });
    expect(message).toContain('CAIRN_ADMIN_TOKEN: expected at least 16 characters, got 7');
    expect(message).not.toContain('hunter2');
    expect(message).not.toContain('c2VjcmV0LWtleQ==');
  });

  it('rejects a NATS prefix with wildcards, which would capture other installations', () => {
    expect(() =>
      ApiConfig.load({ CAIRN_ENCRYPTION_KEY: KEY, CAIRN_NATS_PREFIX: 'cairn.>' }),
    ).toThrow(/CAIRN_NATS_PREFIX: expected dot-separated tokens/);
  });
});
