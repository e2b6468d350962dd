import { join } from 'node:path';
import { workspaceRoot } from '@cairn/cluster';
import { GitServer } from '@cairn/testing/git';

/**
 * The demo's git host: serves the bare repositories in .cairn/git over smart HTTP (real
 * `git http-backend`) until it is told to stop.
 */
async function main(): Promise<void> {
  const port = Number(process.env.CAIRN_DEMO_GIT_PORT ?? 8929);
  const server = await GitServer.start({ root: join(workspaceRoot(), '.cairn', 'git'), port });
  console.log(`git server on ${server.url}, serving ${server.root}`);
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => void server.stop().then(() => process.exit(0)));
  }
}

void main();
