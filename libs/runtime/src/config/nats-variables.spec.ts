import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { env } from './environment-variables';
import { natsSettings, natsVariables } from './nats-variables';
import { defineServiceConfig } from './service-config';

class NatsConfig extends defineServiceConfig(
  'example',
  { CAIRN_EXAMPLE_PORT: env.port(8080), ...natsVariables() },
  (vars) => ({
    http: { host: '0.0.0.0', port: vars.CAIRN_EXAMPLE_PORT },
    nats: natsSettings(vars),
  }),
) {}

const directory = mkdtempSync(join(tmpdir(), 'nats-variables-'));
const CREDS = join(directory, 'agent.creds');
writeFileSync(
  CREDS,
  [
    '-----BEGIN NATS USER JWT-----',
    'eyJ0eXAiOiJKV1QiLCJhbGciOiJlZDI1NTE5LW5rZXkifQ.e30.c2ln',
    '------END NATS USER JWT------',
    '-----BEGIN USER NKEY SEED-----',
    'SUAIBDPBAUTWCWBKIO6XHQNINK5FWJW4OHLXC3HQ2KFE4PEJUA44CNHTC4',
    '------END USER NKEY SEED------',
  ].join('\n'),
);
const NOT_CREDS = join(directory, 'kubeconfig');
writeFileSync(
  NOT_CREDS,
  'apiVersion: v1\nkind: Config\nusers: [{name: a, user: {token: s3cr3t}}]\n',
);

describe('NATS variables', () => {
  it('connect to the local server under the cairn root, as nobody, by default', () => {
    expect(NatsConfig.load({}).nats).toEqual({
      servers: ['nats://127.0.0.1:4222'],
      prefix: 'cairn',
    });
  });

  it.each([
    [{ CAIRN_NATS_CREDENTIALS_FILE: CREDS }, { credentialsFile: CREDS }],
    [
      { CAIRN_NATS_USER: 'api', CAIRN_NATS_PASSWORD: 'pw with spaces\n' },
      { user: 'api', password: 'pw with spaces' },
    ],
    [{ CAIRN_NATS_TOKEN: 't0ken' }, { token: 't0ken' }],
  ])('authenticate one way: %j', (environment, auth) => {
    expect(NatsConfig.load(environment).nats.auth).toEqual(auth);
  });

  it('want a user and a password together', () => {
    expect(() => NatsConfig.load({ CAIRN_NATS_USER: 'api' })).toThrow(
      'CAIRN_NATS_PASSWORD: expected with CAIRN_NATS_USER, it is not set',
    );
    expect(() => NatsConfig.load({ CAIRN_NATS_PASSWORD: 'hunter2' })).toThrow(
      'CAIRN_NATS_USER: expected with CAIRN_NATS_PASSWORD, it is not set',
    );
  });

  it('refuse two ways at once, without quoting a secret', () => {
    const load = () =>
      NatsConfig.load({ CAIRN_NATS_CREDENTIALS_FILE: CREDS, CAIRN_NATS_TOKEN: 'hunter2' });
    expect(load).toThrow(
      'CAIRN_NATS_TOKEN: set one way to authenticate to NATS, not CAIRN_NATS_CREDENTIALS_FILE and CAIRN_NATS_TOKEN',
    );
    expect(load).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining('hunter2') }),
    );
  });

  it('check the credentials file at start, never quoting what it holds', () => {
    expect(() =>
      NatsConfig.load({ CAIRN_NATS_CREDENTIALS_FILE: join(directory, 'missing') }),
    ).toThrow(`CAIRN_NATS_CREDENTIALS_FILE: cannot read "${join(directory, 'missing')}" (ENOENT)`);
    const load = () => NatsConfig.load({ CAIRN_NATS_CREDENTIALS_FILE: NOT_CREDS });
    expect(load).toThrow('is not a NATS credentials file: expected a user JWT and an NKey seed');
    expect(load).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining('s3cr3t') }),
    );
  });

  it('refuse a prefix with wildcards, which would capture other installations', () => {
    expect(() => NatsConfig.load({ CAIRN_NATS_PREFIX: 'cairn.*' })).toThrow(
      `CAIRN_NATS_PREFIX: expected dot-separated tokens of letters, digits, '_' or '-', got "cairn.*"`,
    );
  });
});
