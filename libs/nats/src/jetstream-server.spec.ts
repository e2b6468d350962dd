import { describe, expect, it } from 'vitest';
import { durableName } from './jetstream-server';

describe('durableName', () => {
  it('turns a subject pattern into a name NATS accepts as a durable', () => {
    expect(durableName('reconciler', 'cairn.desired.cluster-a.>')).toBe(
      'reconciler_cairn_desired_cluster-a_all',
    );
    expect(durableName('api', 'cairn.status.*.*')).toBe('api_cairn_status_any_any');
  });

  it('keeps different patterns apart', () => {
    expect(durableName('x', 'a.*.c')).not.toBe(durableName('x', 'a.>'));
  });
});
