import { describe, expect, it } from 'vitest';
import { RevertBackoff } from './revert-backoff';

const policy = { baseMs: 1_000, maxMs: 8_000, quietMs: 60_000 };

describe('RevertBackoff', () => {
  it('reverts at once the first time, then waits 1, 2, 4 s ... up to the maximum', () => {
    const backoff = new RevertBackoff(policy);
    let now = 0;
    const waits: number[] = [];
    for (let i = 0; i < 6; i++) {
      const wait = backoff.delay('web', now);
      waits.push(wait);
      now += wait;
      backoff.reverted('web', now);
    }
    expect(waits).toEqual([0, 1_000, 2_000, 4_000, 8_000, 8_000]);
  });

  it('counts down the wait as time passes, per object', () => {
    const backoff = new RevertBackoff(policy);
    backoff.reverted('web', 0);
    backoff.reverted('web', 1_000);
    expect(backoff.delay('web', 2_500)).toBe(500);
    expect(backoff.delay('db', 2_500)).toBe(0);
  });

  it('forgives an object left alone for a while, and forgets an app', () => {
    const backoff = new RevertBackoff(policy);
    for (const t of [0, 1_000, 3_000]) backoff.reverted('shop/web', t);
    expect(backoff.delay('shop/web', 3_100)).toBe(3_900);
    expect(backoff.delay('shop/web', 3_000 + 4_000 + 60_001)).toBe(0);
    backoff.reverted('shop/web', 0);
    backoff.reverted('shop/web', 1);
    backoff.forget('shop/');
    expect(backoff.delay('shop/web', 2)).toBe(0);
  });
});
