import { spawn } from 'node:child_process';
import { existsSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
/** Where a set of processes keeps its logs and pid files. */
export interface ProcessLayout {
  logs: string;
  pids: string;
}

/**
 * Starts a component as a detached process that outlives this command, logging to
 * logs/<component>.log and recording its pid in pids/<component>.pid, and its arguments in
 * pids/<component>.args (so that it can be started again exactly so: restartComponent).
 */
export function startComponent(
  layout: ProcessLayout,
  component: string,
  binary: string,
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
): number {
  const log = openSync(join(layout.logs, `${component}.log`), 'a');
  const child = spawn(binary, args, { detached: true, stdio: ['ignore', log, log], env });
  child.unref();
  if (child.pid === undefined) throw new Error(`could not start ${component} (${binary})`);
  writeFileSync(join(layout.pids, `${component}.pid`), `${child.pid}\n${binary}\n`);
  writeFileSync(join(layout.pids, `${component}.args`), JSON.stringify(args));
  return child.pid;
}

/**
 * Stops one recorded component (SIGTERM, then SIGKILL after the grace period; or SIGKILL
 * at once, as a crash would), keeping its record so that restartComponent can start it again.
 */
export async function stopComponent(
  layout: ProcessLayout,
  component: string,
  opts: { signal?: 'SIGTERM' | 'SIGKILL'; graceMs?: number } = {},
): Promise<void> {
  const p = recordedProcesses(layout).find((r) => r.component === component);
  if (!p) throw new Error(`${component} was not started here (no ${layout.pids}/${component}.pid)`);
  if (!isRunning(p.pid, p.binary)) return;
  process.kill(p.pid, opts.signal ?? 'SIGTERM');
  const deadline = Date.now() + (opts.graceMs ?? 10_000);
  while (isRunning(p.pid, p.binary) && Date.now() < deadline) await sleep(50);
  if (isRunning(p.pid, p.binary)) process.kill(p.pid, 'SIGKILL');
  while (isRunning(p.pid, p.binary)) await sleep(50);
}

/** Sends a signal to a running recorded component: SIGSTOP freezes it, SIGCONT thaws it. */
export function signalComponent(
  layout: ProcessLayout,
  component: string,
  signal: 'SIGSTOP' | 'SIGCONT',
): void {
  const p = recordedProcesses(layout).find((r) => r.component === component);
  if (!p || !isRunning(p.pid, p.binary)) throw new Error(`${component} is not running`);
  process.kill(p.pid, signal);
}

/** Starts a stopped component again, with the binary and arguments it was first started with. */
export function restartComponent(layout: ProcessLayout, component: string): number {
  const p = recordedProcesses(layout).find((r) => r.component === component);
  const argsFile = join(layout.pids, `${component}.args`);
  if (!p || !existsSync(argsFile))
    throw new Error(`${component} cannot be restarted: its command line was not recorded`);
  if (isRunning(p.pid, p.binary)) throw new Error(`${component} is running (pid ${p.pid})`);
  return startComponent(layout, component, p.binary, JSON.parse(readFileSync(argsFile, 'utf8')));
}

/** A process that runs the binary we started: a recycled pid or a zombie does not count. */
export function isRunning(pid: number, binary?: string): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    if (stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')) return false;
    if (!binary) return true;
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0] === binary;
  } catch {
    return false;
  }
}

export interface RecordedProcess {
  component: string;
  pid: number;
  binary: string;
}

export function recordedProcesses(layout: ProcessLayout): RecordedProcess[] {
  if (!existsSync(layout.pids)) return [];
  return readdirSync(layout.pids)
    .filter((f) => f.endsWith('.pid'))
    .map((f) => {
      const [pid, binary] = readFileSync(join(layout.pids, f), 'utf8').split('\n');
      return { component: f.slice(0, -4), pid: Number(pid), binary };
    });
}

/** Resident memory of a process in bytes, or 0 when it is gone. */
export function residentBytes(pid: number): number {
  try {
    const line = readFileSync(`/proc/${pid}/status`, 'utf8').match(/^VmRSS:\s+(\d+) kB/m);
    return line ? Number(line[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Stops the recorded processes, dependents first (etcd last, so the API server can close
 * its watches cleanly): SIGTERM, then SIGKILL after the grace period.
 */
export async function stopComponents(
  layout: ProcessLayout,
  order: readonly string[],
  graceMs = 10_000,
): Promise<void> {
  const rank = (c: string) => (order.indexOf(c) === -1 ? -1 : order.indexOf(c));
  const processes = recordedProcesses(layout).sort((a, b) => rank(a.component) - rank(b.component));
  for (const p of processes) {
    if (!isRunning(p.pid, p.binary)) continue;
    process.kill(p.pid, 'SIGTERM');
    const deadline = Date.now() + graceMs;
    while (isRunning(p.pid, p.binary) && Date.now() < deadline) await sleep(100);
    if (isRunning(p.pid, p.binary)) process.kill(p.pid, 'SIGKILL');
    while (isRunning(p.pid, p.binary)) await sleep(50);
  }
  rmSync(layout.pids, { recursive: true, force: true });
}
