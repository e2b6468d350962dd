import type { AppStatus } from '@cairn/contracts';
import { describe, expect, it } from 'vitest';
import { connectionState } from './cluster-view';

const status = (reconciledAt: string, unreachable?: string): AppStatus => ({
  v: 1,
  app: 'guestbook',
  cluster: 'prod',
  sync: { status: 'Unknown' },
  health: { status: 'Unknown' },
  resources: [],
  conditions: unreachable
    ? [{ type: 'ClusterUnreachable', message: unreachable, lastTransitionTime: reconciledAt }]
    : [],
  reconciledAt,
});

describe('connectionState', () => {
  it('is Unknown until an application on the cluster reports', () => {
    expect(connectionState([])).toEqual({ status: 'Unknown' });
  });

  it('follows the newest report: Failed with its message, or Successful', () => {
    const failed = status('2025-01-31T12:00:05Z', 'connection refused');
    const reached = status('2025-01-31T12:00:00+00:00');
    expect(connectionState([reached, failed])).toEqual({
      status: 'Failed',
      message: 'connection refused',
      attemptedAt: '2025-01-31T12:00:05Z',
    });
    const later = status('2025-01-31T12:00:10Z');
    expect(connectionState([failed, later])).toEqual({
      status: 'Successful',
      attemptedAt: '2025-01-31T12:00:10Z',
    });
    // Compared as instants, not as text: 13:00+02:00 is before 12:00:05Z.
    const earlierInOtherZone = status('2025-01-31T13:00:00+02:00');
    expect(connectionState([earlierInOtherZone, failed]).status).toBe('Failed');
  });
});
