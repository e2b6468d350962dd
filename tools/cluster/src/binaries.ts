import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { workspaceRoot } from './layout';

export const COMPONENTS = [
  'etcd',
  'kube-apiserver',
  'kube-controller-manager',
  'kube-scheduler',
  'kubectl',
  'kwok',
] as const;

export type Binaries = Record<(typeof COMPONENTS)[number], string> & {
  /** kwok's stage configuration: how its fake node and pods move through their lifecycle. */
  kwokStages: string;
};

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
  const paths = Object.fromEntries(COMPONENTS.map((c) => [c, join(binDir, c)]));
  return { ...paths, kwokStages: ensureKwokStages(binDir) } as Binaries;
}

/**
 * kwok moves nodes and pods through their lifecycle by "stages" it does not embed. We
 * take the "fast" set (node initialize + heartbeat with lease; pod ready, complete,
 * delete) from the pinned kwok module itself, so the stages always match the binary.
 */
const KWOK_STAGES = [
  'kustomize/stage/node/fast/node-initialize.yaml',
  'kustomize/stage/node/heartbeat-with-lease/node-heartbeat-with-lease.yaml',
  'kustomize/stage/pod/fast/pod-ready.yaml',
  'kustomize/stage/pod/fast/pod-complete.yaml',
  'kustomize/stage/pod/fast/pod-delete.yaml',
];

function ensureKwokStages(binDir: string): string {
  const file = join(dirname(binDir), 'kwok-stages.yaml');
  if (existsSync(file)) return file;
  const moduleDir = execFileSync('go', ['list', '-m', '-f', '{{.Dir}}', 'sigs.k8s.io/kwok'], {
    cwd: join(workspaceRoot(), 'tools', 'cluster', 'kwok'),
    encoding: 'utf8',
  }).trim();
  const stages = KWOK_STAGES.map((stage) => readFileSync(join(moduleDir, stage), 'utf8'));
  writeFileSync(file, stages.join('\n---\n'));
  return file;
}
