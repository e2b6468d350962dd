import { readFile } from 'node:fs/promises';
import { componentStatus, type LocalCluster } from '@cairn/cluster';
import { SERVICES, type ServiceName } from '@cairn/stack';
import type { CairnUnderTest } from '@cairn/testing/infra';
import { cpuSeconds, rssMiB } from './process-usage';

/** Not Cairn's: the git server runs in the bench process, `git http-backend` as its children. */
export const GIT_SERVER = 'git server (bench process)';

/**
 * CPU seconds so far of each Cairn service, of each kind of local-cluster process (summed
 * over the clusters: kube-apiserver, etcd, ...) and of the bench's git server, from /proc:
 * two samples give what each spent between them.
 */
export class CpuMeter {
  private constructor(
    private readonly services: Record<ServiceName, number>,
    private readonly components: Array<{ component: string; pid: number }>,
  ) {}

  static of(cut: CairnUnderTest, clusters: LocalCluster[]): CpuMeter {
    const pids = Object.fromEntries(
      SERVICES.map((service) => {
        const pid = cut.stack.pid(service);
        if (pid === undefined) throw new Error(`${service} is not running`);
        return [service, pid];
      }),
    ) as Record<ServiceName, number>;
    return new CpuMeter(
      pids,
      clusters.flatMap((c) => componentStatus(c.name).filter((p) => p.running)),
    );
  }

  pid(service: ServiceName): number {
    return this.services[service];
  }

  async sample(): Promise<Map<string, number>> {
    const seconds = new Map<string, number>();
    const add = (key: string, value: number) => seconds.set(key, (seconds.get(key) ?? 0) + value);
    for (const service of SERVICES) {
      const cpu = await cpuSeconds(this.services[service]);
      add(service, cpu.own + cpu.children);
    }
    for (const { component, pid } of this.components) add(component, (await cpuSeconds(pid)).own);
    const bench = await cpuSeconds('self');
    add(GIT_SERVER, bench.own + bench.children);
    return seconds;
  }
}

/** What each spent between two samples. */
export function spent(before: Map<string, number>, after: Map<string, number>) {
  return new Map([...after].map(([key, value]) => [key, value - (before.get(key) ?? 0)]));
}

/** The most the process has held resident since it started (VmHWM). */
export async function peakRssMiB(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024;
}

/**
 * A service's /metrics: `(name, ...labels)` sums the samples of `name` whose labels include
 * every one given (`result="failed"`).
 */
export async function scrape(port: number): Promise<(name: string, ...labels: string[]) => number> {
  const body = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const lines = body.split('\n');
  return (name, ...labels) =>
    lines
      .filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `))
      .filter((line) => labels.every((label) => line.includes(label)))
      .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
}

export { rssMiB };
