import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { waitUntilReady } from './service-readiness';
import {
  SERVICES,
  type ServiceName,
  serviceEntry,
  serviceEnvironment,
  serviceUrl,
  type StackSettings,
} from './stack-settings';

export interface RunningStack {
  settings: StackSettings;
  url(service: ServiceName): string;
  /** The service's process id while it runs (what a benchmark reads /proc for). */
  pid(service: ServiceName): number | undefined;
  /** Stops one service (SIGTERM, as Kubernetes would) and waits for it to exit. */
  stopService(service: ServiceName): Promise<void>;
  startService(service: ServiceName): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Runs the built services as child processes of this one, for tests and benchmarks: they
 * die with it, log to <stateDir>/logs/<service>.log, and are ready when this resolves.
 */
export async function runStack(
  settings: StackSettings,
  services: readonly ServiceName[] = SERVICES,
): Promise<RunningStack> {
  const logs = join(settings.stateDir, 'logs');
  mkdirSync(logs, { recursive: true });
  const children = new Map<ServiceName, ChildProcess>();

  const startService = async (service: ServiceName) => {
    const log = openSync(join(logs, `${service}.log`), 'a');
    const child = spawn(process.execPath, [serviceEntry(service)], {
      env: { ...process.env, ...serviceEnvironment(service, settings) },
      stdio: ['ignore', log, log],
    });
    children.set(service, child);
    await waitUntilReady(
      service,
      serviceUrl(settings, service),
      () => child.exitCode === null && child.signalCode === null,
    );
  };
  const stopService = async (service: ServiceName) => {
    const child = children.get(service);
    children.delete(service);
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  };
  const stop = async () => {
    await Promise.all([...children.keys()].map(stopService));
  };

  try {
    for (const service of services) await startService(service);
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    settings,
    url: (service) => serviceUrl(settings, service),
    pid: (service) => children.get(service)?.pid,
    startService,
    stopService,
    stop,
  };
}
