import { spawnSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';

/** What a process costs, from /proc, and what a Cairn service says on /metrics and /readyz. */

const CLOCK_TICKS = Number(spawnSync('getconf', ['CLK_TCK']).stdout.toString().trim()) || 100;

/** CPU seconds of a process from /proc/<pid>/stat: its own, and its reaped children's. */
export async function cpuSeconds(
  pid: number | 'self',
): Promise<{ own: number; system: number; children: number }> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (state): utime, stime, cutime, cstime are fields 14-17.
  const ticks = (field: number) => Number(fields[field - 3]);
  return {
    own: (ticks(14) + ticks(15)) / CLOCK_TICKS,
    system: ticks(15) / CLOCK_TICKS,
    children: (ticks(16) + ticks(17)) / CLOCK_TICKS,
  };
}

export async function ready(port: number): Promise<true | undefined> {
  return (await fetch(`http://127.0.0.1:${port}/readyz`)).ok ? true : undefined;
}

export async function rssMiB(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024;
}

export async function metrics(port: number): Promise<(series: string) => number> {
  const body = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  return (series) =>
    body
      .split('\n')
      .filter((line) => line.startsWith(series))
      .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
}

export async function loadAverage(): Promise<string> {
  return (await readFile('/proc/loadavg', 'utf8')).split(' ').slice(0, 3).join(' ');
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs: number,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline)
      throw new Error(`${what} did not happen within ${timeoutMs / 1000} s`);
    await sleep(1_000);
  }
}
