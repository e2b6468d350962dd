import { ConfigError } from '@cairn/runtime';
import { describe, expect, it } from 'vitest';
import { ApiConfig } from './api-config';

describe('ApiConfig', () => {
  it('listens on 0.0.0.0:8080 and uses the local NATS and PostgreSQL by default', () => {
    const config = ApiConfig.load({});
    expect(config.service).toBe('api');
    expect(config.http).toEqual({ host: '0.0.0.0', port: 8080 });
    expect(config.natsServers).toEqual(['nats://127.0.0.1:4222']);
    expect(config.databaseUrl).toBe('postgres://postgres@127.0.0.1:5432/cairn');
  });

  it('takes its settings from CAIRN_API_* and the shared variables', () => {
    const config = ApiConfig.load({
      CAIRN_API_HOST: '127.0.0.1',
      CAIRN_API_PORT: '9090',
      CAIRN_NATS_URL: 'nats://nats-0:4222,nats://nats-1:4222',
      CAIRN_DATABASE_URL: 'postgresql://cairn:pw@db:5432/cairn',
      CAIRN_LOG_LEVEL: 'warn',
    });
    expect(config.http).toEqual({ host: '127.0.0.1', port: 9090 });
    expect(config.natsServers).toEqual(['nats://nats-0:4222', 'nats://nats-1:4222']);
    expect(config.databaseUrl).toBe('postgresql://cairn:pw@db:5432/cairn');
    expect(config.logLevel).toBe('warn');
  });

  it('rejects a database URL that is not PostgreSQL, naming the variable', () => {
    expect(() => ApiConfig.load({ CAIRN_DATABASE_URL: 'mysql://db/cairn' })).toThrow(ConfigError);
    expect(() => ApiConfig.load({ CAIRN_DATABASE_URL: 'mysql://db/cairn' })).toThrow(
      /CAIRN_DATABASE_URL: expected a URL starting with postgres:\/\/ or postgresql:\/\//,
    );
  });
});
