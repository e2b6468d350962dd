import { afterEach, describe, expect, it, vi } from 'vitest';
import { jitteredIntervalMs, type PollOutcome, RepositorySlot } from './repository-slot';
import type { WatchedRepository } from './watched-repositories';

const repository: WatchedRepository = {
  key: 'https://h/org/a',
  url: 'https://h/org/a.git',
  intervalSeconds: 10,
  apps: [],
};

/** A poll that finishes when the test says so, and a log of the polls that started. */
function controlledPolls() {
  const started: WatchedRepository[] = [];
  const finishers: Array<() => void> = [];
  const poll = (current: WatchedRepository) => {
    started.push(current);
    return new Promise<PollOutcome>((resolve) =>
      finishers.push(() => resolve({ polled: true, repository: current.url })),
    );
  };
  const finishNext = async () => {
    finishers.shift()?.();
    await vi.advanceTimersByTimeAsync(0);
  };
  return { started, poll, finishNext };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('RepositorySlot', () => {
  it('polls again one interval after a poll ends, and not before', async () => {
    vi.useFakeTimers();
    const { started, poll, finishNext } = controlledPolls();
    const slot = new RepositorySlot(repository, poll, () => 10_000);

    void slot.pollNow();
    await finishNext();
    await vi.advanceTimersByTimeAsync(9_999);
    expect(started).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(started).toHaveLength(2);

    slot.stop();
    await finishNext();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(started).toHaveLength(2);
  });

  it('never overlaps polls: requests during a poll share one poll right after it, with the latest registration', async () => {
    vi.useFakeTimers();
    const { started, poll, finishNext } = controlledPolls();
    const slot = new RepositorySlot(repository, poll, () => 10_000);

    const first = slot.pollNow();
    const second = slot.pollNow();
    const third = slot.pollNow();
    slot.repository = { ...repository, intervalSeconds: 99 };
    expect(second).toBe(third);
    expect(started).toHaveLength(1);

    await finishNext();
    expect(await first).toEqual({ polled: true, repository: repository.url });
    expect(started).toHaveLength(2);
    expect(started[1].intervalSeconds).toBe(99);
    await finishNext();
    expect(await second).toEqual({ polled: true, repository: repository.url });
  });
});

describe('RepositorySlot owned by another replica', () => {
  it('polls when asked but plans no timed poll until it is timed again', async () => {
    vi.useFakeTimers();
    const { started, poll, finishNext } = controlledPolls();
    const slot = new RepositorySlot(repository, poll, () => 10_000);

    void slot.pollNow();
    slot.setTimed(false); // handed to another replica while a poll runs
    await finishNext();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(started).toHaveLength(1);

    void slot.pollNow(); // a webhook may reach any replica
    await finishNext();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(started).toHaveLength(2);

    slot.setTimed(true);
    void slot.pollNow();
    await finishNext();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(started).toHaveLength(4);
    slot.stop();
  });
});

describe('jitteredIntervalMs', () => {
  it('stays within ±10% of the interval', () => {
    expect(jitteredIntervalMs(15, 0)).toBe(13_500);
    expect(jitteredIntervalMs(15, 0.5)).toBe(15_000);
    expect(jitteredIntervalMs(15, 1)).toBe(16_500);
  });
});
