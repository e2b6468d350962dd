import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { workspaceRoot } from './layout';

export const COMPONENTS = [
  'etcd',
  'kube-apiserver',
  'kube-controller-manager',
  'kube-scheduler',
  'kubectl',
  'kwok',
] as const;

export type Binaries = Record<(typeof COMPONENTS)[number], string>;

/**
 * Builds the pinned binaries once (tools/cluster/build.sh caches them outside the checkout,
 * keyed by the pins) and returns their paths. Build progress is passed through to stderr.
 */
export async function ensureBinaries(): Promise<Binaries> {
  const script = join(workspaceRoot(), 'tools', 'cluster', 'build.sh');
  const binDir = await new Promise<string>((resolve, reject) => {
    const child = spawn('bash', [script], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0
        ? resolve(out.trim().split('\n').pop() ?? '')
        : reject(
            new Error(`building the cluster binaries failed (exit ${code}); see the output above`),
          ),
    );
  });
  return Object.fromEntries(COMPONENTS.map((c) => [c, join(binDir, c)])) as Binaries;
}
