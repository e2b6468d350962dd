import { existsSync, readdirSync } from 'node:fs';
import { ensureBinaries } from './binaries';
import { clustersDir } from './layout';
import { type LocalCluster, startLocalCluster, stopLocalCluster } from './local-cluster';

export {
  componentStatus,
  FAKE_NODE,
  type LocalCluster,
  pauseApiServer,
  resumeApiServer,
  startApiServer,
  stopApiServer,
} from './local-cluster';
export { ensureBinaries } from './binaries';
export { clusterLayout } from './layout';
export { auditedAccessNextTo, CAIRN_USER } from './cairn-user';

export interface StartOptions {
  /** Start local-1 .. local-N. */
  count?: number;
  /** Or start exactly these. */
  names?: string[];
}

export function defaultNames(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `local-${i + 1}`);
}

/** Starts the clusters side by side; each is independent of the others. */
export async function startClusters(opts: StartOptions = {}): Promise<LocalCluster[]> {
  const names = opts.names ?? defaultNames(opts.count ?? 1);
  const bin = await ensureBinaries();
  const results = await Promise.allSettled(names.map((name) => startLocalCluster(name, bin)));
  const failure = results.find((r) => r.status === 'rejected');
  if (failure) {
    await stopClusters({ names }); // all or nothing: no half-started set is left running
    throw failure.reason;
  }
  return results.map((r) => (r as PromiseFulfilledResult<LocalCluster>).value);
}

/** Names of the clusters that have state on disk, running or not. */
export function listClusters(): string[] {
  const dir = clustersDir();
  return existsSync(dir)
    ? readdirSync(dir, { withFileTypes: true })
        .filter((d) => d.isDirectory())
        .map((d) => d.name)
    : [];
}

/** Stops the named clusters, or all of them. */
export async function stopClusters(opts: { names?: string[] } = {}): Promise<string[]> {
  const names = opts.names ?? listClusters();
  await Promise.all(names.map((name) => stopLocalCluster(name)));
  return names;
}
export { workspaceRoot } from './layout';
export {
  isRunning,
  recordedProcesses,
  residentBytes,
  startComponent,
  stopComponents,
} from './processes';
export { freePort, freePorts } from './ports';
