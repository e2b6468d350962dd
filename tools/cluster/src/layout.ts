import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** The checkout this process runs in: the nearest folder above cwd holding nx.json. */
export function workspaceRoot(from = process.cwd()): string {
  let dir = resolve(from);
  while (!existsSync(join(dir, 'nx.json'))) {
    const parent = dirname(dir);
    if (parent === dir) return resolve(from);
    dir = parent;
  }
  return dir;
}

/** Where local clusters keep their state: `.cairn/clusters/<name>/` in the checkout. */
export function clustersDir(): string {
  return process.env.CAIRN_CLUSTERS_DIR ?? join(workspaceRoot(), '.cairn', 'clusters');
}

/** The files of one local cluster. */
export function clusterLayout(name: string) {
  const dir = join(clustersDir(), name);
  return {
    dir,
    kubeconfig: join(dir, 'kubeconfig'),
    /** Authenticates as the static token user `cairn`, whose requests the audit log records. */
    cairnKubeconfig: join(dir, 'cairn.kubeconfig'),
    tokens: join(dir, 'tokens.csv'),
    auditPolicy: join(dir, 'audit-policy.yaml'),
    auditLog: join(dir, 'audit.log'),
    pki: join(dir, 'pki'),
    etcdData: join(dir, 'etcd'),
    logs: join(dir, 'logs'),
    pids: join(dir, 'pids'),
    state: join(dir, 'cluster.json'),
  };
}
export type ClusterLayout = ReturnType<typeof clusterLayout>;
