import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { env } from './environment-variables';
import { ConfigError, defineServiceConfig } from './service-config';

class ExampleConfig extends defineServiceConfig(
  'example',
  {
    CAIRN_EXAMPLE_HOST: env.host('0.0.0.0'),
    CAIRN_EXAMPLE_PORT: env.port(8080),
    CAIRN_EXAMPLE_NATS_URL: env.urls(['nats://127.0.0.1:4222'], ['nats:', 'tls:']),
    CAIRN_EXAMPLE_DATABASE_URL: env.url('postgres://postgres@127.0.0.1:5432/cairn', ['postgres:']),
    CAIRN_EXAMPLE_INTERVAL_SECONDS: env.integer(15, { min: 1, max: 3600 }),
    CAIRN_EXAMPLE_CACHE_DIR: env.path('.cairn/cache'),
    CAIRN_EXAMPLE_CLUSTERS: env.list('cluster names', (name) => /^[a-z]+$/.test(name)),
  },
  (vars) => ({
    http: { host: vars.CAIRN_EXAMPLE_HOST, port: vars.CAIRN_EXAMPLE_PORT },
    natsServers: vars.CAIRN_EXAMPLE_NATS_URL,
    databaseUrl: vars.CAIRN_EXAMPLE_DATABASE_URL,
    intervalSeconds: vars.CAIRN_EXAMPLE_INTERVAL_SECONDS,
    cacheDir: vars.CAIRN_EXAMPLE_CACHE_DIR,
    clusters: vars.CAIRN_EXAMPLE_CLUSTERS,
  }),
) {}

function problemsOf(environment: NodeJS.ProcessEnv): readonly string[] {
  try {
    ExampleConfig.load(environment);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError, but the environment was accepted');
}

describe('service configuration', () => {
  it('fills every unset or empty variable with its default', () => {
    const config = ExampleConfig.load({ CAIRN_EXAMPLE_PORT: '' });
    expect(config).toBeInstanceOf(ExampleConfig);
    expect({ ...config }).toEqual({
      service: 'example',
      logLevel: 'info',
      http: { host: '0.0.0.0', port: 8080 },
      natsServers: ['nats://127.0.0.1:4222'],
      databaseUrl: 'postgres://postgres@127.0.0.1:5432/cairn',
      intervalSeconds: 15,
      cacheDir: resolve('.cairn/cache'),
      clusters: [],
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('reads and converts what the environment sets', () => {
    const config = ExampleConfig.load({
      CAIRN_LOG_LEVEL: 'DEBUG',
      CAIRN_EXAMPLE_HOST: '127.0.0.1',
      CAIRN_EXAMPLE_PORT: ' 9000 ',
      CAIRN_EXAMPLE_NATS_URL: 'nats://a:4222, tls://b:4222',
      CAIRN_EXAMPLE_INTERVAL_SECONDS: '60',
      CAIRN_EXAMPLE_CACHE_DIR: '/var/cache/cairn',
      CAIRN_EXAMPLE_CLUSTERS: 'prod,staging,prod',
    });
    expect(config.logLevel).toBe('debug');
    expect(config.http).toEqual({ host: '127.0.0.1', port: 9000 });
    expect(config.natsServers).toEqual(['nats://a:4222', 'tls://b:4222']);
    expect(config.intervalSeconds).toBe(60);
    expect(config.cacheDir).toBe('/var/cache/cairn');
    expect(config.clusters).toEqual(['prod', 'staging']);
  });

  it.each([
    ['CAIRN_EXAMPLE_PORT', 'abc', 'CAIRN_EXAMPLE_PORT: expected a port number 1-65535, got "abc"'],
    [
      'CAIRN_EXAMPLE_PORT',
      '70000',
      'CAIRN_EXAMPLE_PORT: expected a port number 1-65535, got "70000"',
    ],
    [
      'CAIRN_EXAMPLE_PORT',
      '80.5',
      'CAIRN_EXAMPLE_PORT: expected a port number 1-65535, got "80.5"',
    ],
    ['CAIRN_EXAMPLE_HOST', 'http://x', 'CAIRN_EXAMPLE_HOST: expected a host name or IP address'],
    [
      'CAIRN_EXAMPLE_INTERVAL_SECONDS',
      '0',
      'CAIRN_EXAMPLE_INTERVAL_SECONDS: expected a whole number 1-3600, got "0"',
    ],
    [
      'CAIRN_EXAMPLE_NATS_URL',
      'nats://a,http://b',
      'CAIRN_EXAMPLE_NATS_URL: expected comma-separated URLs, each starting with nats:// or tls://',
    ],
    [
      'CAIRN_EXAMPLE_CLUSTERS',
      'prod,Bad.One',
      'CAIRN_EXAMPLE_CLUSTERS: expected a comma-separated list of cluster names, got "prod,Bad.One"',
    ],
    [
      'CAIRN_LOG_LEVEL',
      'loud',
      'CAIRN_LOG_LEVEL: expected one of fatal, error, warn, info, debug, trace, silent, got "loud"',
    ],
  ])('rejects %s=%j, naming the variable and the reason', (name, value, problem) => {
    expect(problemsOf({ [name]: value })).toEqual([expect.stringContaining(problem)]);
  });

  it('reports every bad variable at once, in one message', () => {
    const environment = { CAIRN_EXAMPLE_PORT: 'abc', CAIRN_EXAMPLE_INTERVAL_SECONDS: '-1' };
    expect(() => ExampleConfig.load(environment)).toThrow(
      /^invalid configuration of example: CAIRN_EXAMPLE_PORT: .*; CAIRN_EXAMPLE_INTERVAL_SECONDS: /,
    );
  });

  it('never repeats a password from a malformed URL', () => {
    const [problem] = problemsOf({ CAIRN_EXAMPLE_DATABASE_URL: 'mysql://cairn:hunter2@db/cairn' });
    expect(problem).toContain(
      'CAIRN_EXAMPLE_DATABASE_URL: expected a URL starting with postgres://',
    );
    expect(problem).toContain('mysql://cairn:***@db/cairn');
    expect(problem).not.toContain('hunter2');
  });
});
