import { afterEach, describe, expect, it, vi } from 'vitest';
import { CHECK_TIMEOUT_MS, ReadinessChecks } from './readiness-checks';

afterEach(() => {
  vi.useRealTimers();
});

describe('ReadinessChecks', () => {
  it('is ready with no checks at all', async () => {
    expect(await new ReadinessChecks().evaluate()).toEqual([]);
  });

  it('fails a check that returns false, rejects, or does not answer in time', async () => {
    vi.useFakeTimers();
    const checks = new ReadinessChecks();
    checks.register('flag', () => false);
    checks.register('rejects', () => Promise.reject(new Error('no leader')));
    checks.register('hangs', () => new Promise(() => undefined));
    checks.register('fine', async () => 'connected');
    const evaluation = checks.evaluate();
    await vi.advanceTimersByTimeAsync(CHECK_TIMEOUT_MS);
    expect(await evaluation).toEqual([
      { name: 'flag', status: 'failed', reason: 'reported not ready' },
      { name: 'rejects', status: 'failed', reason: 'no leader' },
      { name: 'hangs', status: 'failed', reason: `no answer within ${CHECK_TIMEOUT_MS} ms` },
      { name: 'fine', status: 'ok' },
    ]);
  });

  it('refuses two checks with one name, which would hide one of them', () => {
    const checks = new ReadinessChecks();
    checks.register('nats', () => true);
    expect(() => checks.register('nats', () => true)).toThrow(/"nats" is already registered/);
  });
});
