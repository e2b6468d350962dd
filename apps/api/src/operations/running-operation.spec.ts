import type { AppStatus } from '@cairn/contracts';
import { describe, expect, it } from 'vitest';
import { runningOperation } from './running-operation';

const NOW = new Date('2026-01-01T12:00:00Z');
const queued = {
  id: 'op-1',
  op: 'sync',
  initiatedBy: 'admin',
  requestedAt: '2026-01-01T11:59:50Z',
};
const status = (fields: Partial<AppStatus>): AppStatus => ({
  v: 1,
  app: 'web',
  cluster: 'prod',
  sync: { status: 'Synced' },
  health: { status: 'Healthy' },
  resources: [],
  conditions: [],
  reconciledAt: '2026-01-01T11:59:00Z',
  ...fields,
});

describe('runningOperation', () => {
  it('names a sync the reconciler reports Running', () => {
    const running = status({
      operationState: { phase: 'Running', startedAt: '2026-01-01T11:58:00Z' },
      reconciledAt: '2026-01-01T11:59:55Z',
    });
    expect(runningOperation(running, null, NOW)).toBe(
      'a sync is running since 2026-01-01T11:58:00Z',
    );
  });

  it('names an operation queued moments ago with no status since', () => {
    expect(runningOperation(status({}), queued, NOW)).toContain('sync op-1');
    expect(runningOperation(null, queued, NOW)).toContain('sync op-1');
  });

  it('lets another start once the reconciler reported after it, or the window passed', () => {
    const after = status({ reconciledAt: '2026-01-01T11:59:55Z' });
    expect(runningOperation(after, queued, NOW)).toBeUndefined();
    expect(runningOperation(status({}), queued, new Date('2026-01-01T12:01:00Z'))).toBeUndefined();
    expect(
      runningOperation(
        status({ operationState: { phase: 'Succeeded', startedAt: '2026-01-01T11:58:00Z' } }),
        null,
        NOW,
      ),
    ).toBeUndefined();
  });
});
