import { HEALTH_STATUSES } from '@cairn/contracts';
import { describe, expect, it } from 'vitest';
import { HEALTH_ORDER, isWorse, worstHealth } from './health-status';

describe('health order', () => {
  it('ranks Healthy < Suspended < Progressing < Missing < Degraded < Unknown', () => {
    expect(HEALTH_ORDER).toEqual([
      'Healthy',
      'Suspended',
      'Progressing',
      'Missing',
      'Degraded',
      'Unknown',
    ]);
    expect(isWorse('Progressing', 'Missing')).toBe(true);
    expect(isWorse('Missing', 'Progressing')).toBe(false);
    expect(isWorse('Degraded', 'Degraded')).toBe(false);
  });

  it('takes the worst status, whatever the order it comes in', () => {
    expect(worstHealth(['Healthy', 'Degraded', 'Progressing'])).toBe('Degraded');
    expect(worstHealth(['Missing', 'Suspended', 'Progressing'])).toBe('Missing');
    expect(worstHealth(['Unknown', 'Degraded'])).toBe('Unknown');
    expect(worstHealth(['Suspended', 'Healthy'])).toBe('Suspended');
    expect(worstHealth(new Set(['Healthy' as const]))).toBe('Healthy');
  });

  it('calls an application without resources Healthy, as Argo CD does', () => {
    expect(worstHealth([])).toBe('Healthy');
  });

  it('speaks the same statuses as the status messages in @cairn/contracts', () => {
    expect([...HEALTH_ORDER].sort()).toEqual([...HEALTH_STATUSES].sort());
  });
});
