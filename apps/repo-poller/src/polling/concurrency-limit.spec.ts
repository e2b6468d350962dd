import { describe, expect, it } from 'vitest';
import { ConcurrencyLimit } from './concurrency-limit';

describe('ConcurrencyLimit', () => {
  it('runs at most max tasks at once, the others in order as slots free up', async () => {
    const limit = new ConcurrencyLimit(2);
    const running = new Set<number>();
    const order: number[] = [];
    let peak = 0;
    const task = (id: number) =>
      limit.run(async () => {
        running.add(id);
        order.push(id);
        peak = Math.max(peak, running.size);
        await new Promise((resolve) => setTimeout(resolve, 5));
        running.delete(id);
        return id;
      });

    expect(await Promise.all([1, 2, 3, 4, 5].map(task))).toEqual([1, 2, 3, 4, 5]);
    expect(peak).toBe(2);
    expect(order).toEqual([1, 2, 3, 4, 5]);
  });

  it('frees the slot of a task that throws', async () => {
    const limit = new ConcurrencyLimit(1);
    await expect(limit.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await limit.run(async () => 'next')).toBe('next');
  });
});
