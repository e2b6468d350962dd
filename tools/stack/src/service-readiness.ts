import { spawnSync } from 'node:child_process';
import { workspaceRoot } from '@cairn/cluster';
import type { ServiceName } from './stack-settings';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits for a service's /readyz to answer 200; fails early when the process died. */
export async function waitUntilReady(
  name: string,
  baseUrl: string,
  isAlive: () => boolean,
  timeoutMs = 60_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  while (Date.now() < deadline) {
    if (!isAlive()) throw new Error(`${name} exited before it was ready (${last}); see its log`);
    try {
      const res = await fetch(`${baseUrl}/readyz`);
      if (res.ok) return;
      last = `readyz ${res.status}: ${await res.text()}`;
    } catch (err) {
      last = (err as Error).message;
    }
    await sleep(200);
  }
  throw new Error(`${name} was not ready within ${timeoutMs / 1000}s (${last})`);
}

/** Builds the services, all three unless `services` names some (a cache hit when nothing changed). */
export function buildServices(services?: readonly ServiceName[]): void {
  const projects = services ? services.join(',') : 'tag:type:app';
  const result = spawnSync(
    'npx',
    ['nx', 'run-many', '-t', 'build', `--projects=${projects}`, '--outputStyle=static'],
    {
      cwd: workspaceRoot(),
      stdio: ['ignore', 'inherit', 'inherit'],
    },
  );
  if (result.status !== 0) throw new Error('building the services failed; see the output above');
}
