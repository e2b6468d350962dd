import { KubeApiError } from '@cairn/kube';
import { describe, expect, it } from 'vitest';
import { isTransient, SyncFailure } from './sync-failure';

describe('isTransient', () => {
  it.each([409, 429, 502, 503, 504])('retries an API answer %i', (code) => {
    expect(isTransient(new KubeApiError(code, 'not now'))).toBe(true);
  });

  it.each([400, 403, 404, 422, 500])('does not retry an API verdict %i', (code) => {
    expect(isTransient(new KubeApiError(code, 'invalid'))).toBe(false);
  });

  it('retries when no answer came, and follows a SyncFailure’s own judgement', () => {
    expect(isTransient(new Error('connect ECONNREFUSED 127.0.0.1:6443'))).toBe(true);
    expect(isTransient(new SyncFailure('DryRunFailed', 'bad', [], false))).toBe(false);
  });
});
