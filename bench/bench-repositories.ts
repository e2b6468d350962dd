import { cp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Topology } from '@cairn/contracts';
import { RegistryWriter } from '@cairn/registry';
import { createRepository, type GitServer, WorkingCopy } from '@cairn/testing/infra';
import type { NatsConnection } from '@nats-io/transport-node';

/** Repositories on a real git server, registered as the api would, each with an app. */

const pad = (n: number) => String(n).padStart(4, '0');

/** R bare repositories, copies of one with a single commit: creating each with git takes minutes. */
export async function createRepositories(server: GitServer, count: number): Promise<string[]> {
  const template = await createRepository(server, 'template');
  const work = await WorkingCopy.clone(template);
  await work.writeFiles({
    'app/configmap.yaml':
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: bench\ndata:\n  a: "1"\n',
  });
  await work.commit('one commit');
  await work.push();
  await work.dispose();
  await rm(join(server.root, 'template.git', 'hooks'), { recursive: true, force: true });
  const urls: string[] = [];
  for (let i = 1; i <= count; i++) {
    await cp(join(server.root, 'template.git'), join(server.root, `repo-${pad(i)}.git`), {
      recursive: true,
    });
    urls.push(`${server.url}/repo-${pad(i)}.git`);
  }
  return urls;
}

/** How many info/refs the git server answers per second, 8 at a time, for 10 s. */
export async function refChecksPerSecond(urls: string[]): Promise<number> {
  const until = Date.now() + 10_000;
  let answered = 0;
  const loop = async (offset: number) => {
    for (let i = offset; Date.now() < until; i += 8) {
      const response = await fetch(`${urls[i % urls.length]}/info/refs?service=git-upload-pack`);
      await response.arrayBuffer();
      if (response.ok) answered++;
    }
  };
  const started = Date.now();
  await Promise.all(Array.from({ length: 8 }, (_, offset) => loop(offset)));
  return answered / ((Date.now() - started) / 1000);
}

export async function register(
  nc: NatsConnection,
  topology: Topology,
  urls: string[],
  intervalSeconds: number,
): Promise<void> {
  const writer = await RegistryWriter.open(nc, topology);
  const updatedAt = new Date().toISOString();
  const registerOne = async (url: string, i: number) => {
    const name = `app-${pad(i + 1)}`;
    await writer.putApplication({
      v: 1,
      name,
      cluster: 'bench',
      spec: {
        source: { repoURL: url, path: 'app', targetRevision: 'main' },
        destination: { name: 'bench', namespace: name },
        syncPolicy: { syncOptions: [] },
      },
      updatedAt,
    });
    await writer.putRepository({
      v: 1,
      id: `repo-${pad(i + 1)}`,
      url,
      pollIntervalSeconds: intervalSeconds,
      updatedAt,
    });
  };
  // In batches: one at a time takes minutes on a busy NATS server.
  for (let start = 0; start < urls.length; start += 100)
    await Promise.all(urls.slice(start, start + 100).map((url, j) => registerOne(url, start + j)));
}
