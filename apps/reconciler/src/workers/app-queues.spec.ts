import { describe, expect, it } from 'vitest';
import { AppQueues } from './app-queues';

const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

/** An operation that records when it starts and ends, and ends when told. */
function operation(log: string[], name: string) {
  let finish!: () => void;
  const done = new Promise<void>((resolve) => (finish = resolve));
  return {
    finish,
    run: async () => {
      log.push(`start ${name}`);
      await done;
      log.push(`end ${name}`);
      return name;
    },
  };
}

describe('AppQueues', () => {
  it('runs one app’s operations one after another, in order', async () => {
    const queues = new AppQueues(8);
    const log: string[] = [];
    const first = operation(log, 'web#1');
    const second = operation(log, 'web#2');
    const results = [queues.run('web', first.run), queues.run('web', second.run)];
    await tick();
    expect(log).toEqual(['start web#1']);
    first.finish();
    second.finish();
    expect(await Promise.all(results)).toEqual(['web#1', 'web#2']);
    expect(log).toEqual(['start web#1', 'end web#1', 'start web#2', 'end web#2']);
  });

  it('runs different apps at once, but no more than the limit', async () => {
    const queues = new AppQueues(2);
    const log: string[] = [];
    const ops = ['a', 'b', 'c'].map((app) => ({ app, op: operation(log, app) }));
    const results = ops.map(({ app, op }) => queues.run(app, op.run));
    await tick();
    expect(log).toEqual(['start a', 'start b']);
    expect(queues.inFlight).toBe(2);
    ops[0].op.finish();
    await tick();
    expect(log).toEqual(['start a', 'start b', 'end a', 'start c']);
    ops[1].op.finish();
    ops[2].op.finish();
    await Promise.all(results);
    expect(queues.inFlight).toBe(0);
  });

  it('keeps going after an operation fails, and hands the failure to its caller', async () => {
    const queues = new AppQueues(1);
    const failed = queues.run('web', async () => {
      throw new Error('apply failed');
    });
    const next = queues.run('web', async () => 'next');
    await expect(failed).rejects.toThrow('apply failed');
    expect(await next).toBe('next');
    await queues.idle();
  });
});
