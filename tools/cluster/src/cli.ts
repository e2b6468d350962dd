import { parseArgs } from 'node:util';
import { componentStatus, listClusters, startClusters, stopClusters } from './index';

const USAGE = `usage: npm run cluster -- <command>
  up [--count N] [--name a,b]   start N local clusters (default 1) and wait until they are ready
  down [--name a,b]             stop clusters (default: all) and remove their state
  status                        show each cluster's components, pids and memory`;

const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MiB`;

function printStatus(names: string[]): void {
  for (const name of names) {
    const components = componentStatus(name);
    const total = components.reduce((sum, c) => sum + c.residentBytes, 0);
    console.log(
      `${name}: ${components.filter((c) => c.running).length}/${components.length} running, ${mib(total)} resident`,
    );
    for (const c of components) {
      console.log(
        `  ${c.component.padEnd(24)} pid ${String(c.pid).padEnd(8)} ${c.running ? mib(c.residentBytes) : 'stopped'}`,
      );
    }
  }
}

async function main(): Promise<void> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: { count: { type: 'string' }, name: { type: 'string' } },
  });
  const names = values.name?.split(',').filter(Boolean);
  const command = positionals[0];
  if (command === 'up') {
    const count = values.count === undefined ? 1 : Number(values.count);
    if (!Number.isInteger(count) || count < 1)
      throw new Error(`--count: expected a whole number of at least 1, got "${values.count}"`);
    const started = Date.now();
    const clusters = await startClusters({ count, names });
    console.log(
      `started ${clusters.length} cluster(s) in ${((Date.now() - started) / 1000).toFixed(1)}s`,
    );
    for (const c of clusters)
      console.log(
        `  ${c.name}: ${c.server}  KUBECONFIG=${c.kubeconfigPath} (audited user cairn: ${c.cairnKubeconfigPath})`,
      );
    printStatus(clusters.map((c) => c.name));
  } else if (command === 'down') {
    const stopped = await stopClusters({ names });
    console.log(stopped.length ? `stopped ${stopped.join(', ')}` : 'no clusters to stop');
  } else if (command === 'status') {
    const all = listClusters();
    if (all.length === 0) console.log('no clusters');
    printStatus(all);
  } else {
    console.error(USAGE);
    process.exitCode = 2;
  }
}

main().catch((err: Error) => {
  console.error(`cluster: ${err.message}`);
  process.exitCode = 1;
});
