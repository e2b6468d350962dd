import { describe, expect, it } from 'vitest';
import { createJsonLogger } from './json-logger';
import { NestJsonLogger } from './nest-json-logger';
import { isSecretKey } from './secret-redaction';

function captureLogger(logLevel: 'info' | 'debug' = 'info') {
  const lines: string[] = [];
  const logger = createJsonLogger({
    service: 'example',
    logLevel,
    destination: { write: (line: string) => void lines.push(line) },
  });
  const records = () => lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  return { logger, lines, records };
}

describe('JSON logger', () => {
  it('writes one JSON line per event with service, level, time and message', () => {
    const { logger, lines, records } = captureLogger();
    logger.info({ app: 'web', cluster: 'prod' }, 'synced');
    expect(lines).toHaveLength(1);
    expect(lines[0].endsWith('\n')).toBe(true);
    expect(records()[0]).toEqual({
      level: 'info',
      time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      service: 'example',
      app: 'web',
      cluster: 'prod',
      msg: 'synced',
    });
  });

  it('drops events below the configured level', () => {
    const { logger, records } = captureLogger('info');
    logger.debug('noise');
    logger.warn('kept');
    expect(records().map((r) => r.msg)).toEqual(['kept']);
  });

  it('redacts secret-looking fields at any depth, in fields and in child bindings', () => {
    const { logger, lines } = captureLogger();
    logger.info(
      {
        repository: { url: 'https://git.example/r.git', password: 'pw-1', webhookSecret: 'ws-2' },
        cluster: {
          name: 'prod',
          kubeconfig: 'kc-3',
          config: {
            bearerToken: 'bt-4',
            tlsClientConfig: { keyData: 'kd-5', caData: 'public-ca' },
          },
        },
        headers: [{ authorization: 'Bearer at-6' }],
        access_token: 'at-7',
      },
      'registered',
    );
    logger.child({ token: 'tk-8' }).info('child');
    const output = lines.join('');
    for (const secret of ['pw-1', 'ws-2', 'kc-3', 'bt-4', 'kd-5', 'at-6', 'at-7', 'tk-8']) {
      expect(output).not.toContain(secret);
    }
    expect(output).toContain('public-ca');
    expect(output).toContain('https://git.example/r.git');
    expect(JSON.parse(lines[0]).cluster.config.tlsClientConfig.keyData).toBe('[REDACTED]');
  });

  it('still serializes errors with their message and stack', () => {
    const { logger, records } = captureLogger();
    logger.error({ err: new Error('boom') }, 'failed');
    expect(records()[0].err).toMatchObject({
      type: 'Error',
      message: 'boom',
      stack: expect.any(String),
    });
  });

  it('knows secrets by name, not by accident', () => {
    expect(
      ['Password', 'adminPassword', 'ACCESS_TOKEN', 'hmac-secret', 'keyData'].every(isSecretKey),
    ).toBe(true);
    expect(['caData', 'certData', 'tokenCount', 'name', 'server'].some(isSecretKey)).toBe(false);
  });
});

describe('Nest logger adapter', () => {
  it('turns Nest log calls into JSON lines with their context', () => {
    const { logger, records } = captureLogger('debug');
    const nest = new NestJsonLogger(logger);
    nest.log('Mapped {/healthz, GET} route', 'RouterExplorer');
    nest.warn('slow', 'Poller');
    nest.debug({ msg: 'tick', repo: 'r1' }, 'Poller');
    nest.error('apply failed', 'Error: apply failed\n    at x (y.ts:1:1)', 'Reconciler');
    nest.error('no context, no stack');
    expect(
      records().map(({ level, msg, context, stack, repo }) => ({
        level,
        msg,
        context,
        stack,
        repo,
      })),
    ).toEqual([
      { level: 'info', msg: 'Mapped {/healthz, GET} route', context: 'RouterExplorer' },
      { level: 'warn', msg: 'slow', context: 'Poller' },
      { level: 'debug', msg: 'tick', context: 'Poller', repo: 'r1' },
      {
        level: 'error',
        msg: 'apply failed',
        context: 'Reconciler',
        stack: 'Error: apply failed\n    at x (y.ts:1:1)',
      },
      { level: 'error', msg: 'no context, no stack' },
    ]);
  });

  it('redacts secrets in structured Nest messages too', () => {
    const { logger, lines } = captureLogger();
    new NestJsonLogger(logger).log(
      { msg: 'cluster added', name: 'prod', bearerToken: 'bt-9' },
      'Clusters',
    );
    expect(lines.join('')).not.toContain('bt-9');
    expect(JSON.parse(lines[0])).toMatchObject({ name: 'prod', bearerToken: '[REDACTED]' });
  });
});
