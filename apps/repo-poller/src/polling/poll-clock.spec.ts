import { afterEach, describe, expect, it, vi } from 'vitest';
import { PollClock } from './poll-clock';

afterEach(() => {
  vi.useRealTimers();
});

describe('PollClock', () => {
  it('runs what is due on its ticks, together, at most one tick late', async () => {
    vi.useFakeTimers();
    const clock = new PollClock(250);
    const ran: string[] = [];
    clock.schedule(() => ran.push('a'), 1_010);
    clock.schedule(() => ran.push('b'), 1_200);
    clock.schedule(() => ran.push('c'), 3_000);

    await vi.advanceTimersByTimeAsync(1_000);
    expect(ran).toEqual([]);
    await vi.advanceTimersByTimeAsync(250);
    expect(ran).toEqual(['a', 'b']);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(ran).toEqual(['a', 'b', 'c']);
    clock.stop();
  });

  it('never runs a cancelled task, nor anything after stop', async () => {
    vi.useFakeTimers();
    const clock = new PollClock(250);
    const ran: string[] = [];
    const cancel = clock.schedule(() => ran.push('cancelled'), 100);
    clock.schedule(() => ran.push('stopped'), 600);
    cancel();
    await vi.advanceTimersByTimeAsync(300);
    clock.stop();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(ran).toEqual([]);
  });
});
