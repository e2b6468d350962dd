import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { V1Deployment } from '@kubernetes/client-node';
import { isSyncedAndHealthy } from '@cairn/client';
import { ensureBinaries } from '@cairn/cluster';
import { ClusterClient, loadKubeConfig } from '@cairn/kube';
import {
  createRepository,
  provisionTestInfra,
  startCairn,
  uniqueName,
  WorkingCopy,
} from '@cairn/testing/infra';
import { quantile, seconds, summary } from './stats';

/**
 * Commit-to-ready latency of the whole loop, on real parts: a push to a git server, the
 * poller's ref check and fetch, render, JetStream, the reconciler's dry-run and server-side
 * apply, and the Deployment's pods Ready with the app Synced at the new SHA. Measured in the
 * same run, its floors: a `git fetch` of that commit and a `kubectl apply --server-side` of
 * the same manifests. Goal: p50 within 2 s of the mean poll wait plus the floors' p50.
 *
 *   npm run bench:sync-latency [-- --commits 20 --poll 2]
 */
const run = promisify(execFile);
const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? fallback : Number(process.argv[i + 1]);
};
const COMMITS = arg('commits', 20);
const POLL_SECONDS = arg('poll', 2);

const deployment = (replicas: number, round: number) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: ${replicas}
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}, annotations: {round: "${round}"}}
    spec: {containers: [{name: web, image: nginx:1.27}]}
`;

async function main(): Promise<number> {
  const { infra, release } = await provisionTestInfra();
  const cut = await startCairn(infra, { pollIntervalSeconds: POLL_SECONDS });
  const scratch = await mkdtemp(join(tmpdir(), 'cairn-bench-'));
  try {
    const kubectl = (await ensureBinaries()).kubectl;
    const kube = new ClusterClient(loadKubeConfig({ path: infra.kubeconfigPath }));
    const kubeconfig = await readFile(infra.kubeconfigPath, 'utf8');
    const namespace = uniqueName('bench');
    const floorNamespace = `${namespace}-floor`;
    for (const ns of [namespace, floorNamespace])
      await kube.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });

    const repoUrl = await createRepository(cut.git, 'bench');
    const work = await WorkingCopy.clone(repoUrl);
    await work.writeFiles({ 'app/deployment.yaml': deployment(1, 0) });
    const first = await work.commit('round 0');
    await work.push();
    await run('git', ['clone', '--quiet', '--depth=1', repoUrl, join(scratch, 'floor-clone')]);

    await cut.cairn.createRepository({ url: repoUrl, pollIntervalSeconds: POLL_SECONDS });
    await cut.cairn.createCluster({ name: 'bench', kubeconfig });
    await cut.cairn.createApplication({
      metadata: { name: 'bench' },
      spec: {
        source: { repoURL: repoUrl, path: 'app', targetRevision: 'main' },
        destination: { name: 'bench', namespace },
        syncPolicy: { automated: { prune: true } },
      },
    });
    await cut.cairn.waitForApplication('bench', (a) => isSyncedAndHealthy(a, first), 120_000, 50);

    const latency: number[] = [];
    const fetchFloor: number[] = [];
    const applyFloor: number[] = [];
    for (let round = 1; round <= COMMITS; round++) {
      const replicas = (round % 3) + 1;
      const manifest = deployment(replicas, round);
      await work.writeFiles({ 'app/deployment.yaml': manifest });
      const sha = await work.commit(`round ${round}`);
      const pushed = Date.now();
      await work.push();
      await cut.cairn.waitForApplication('bench', (a) => isSyncedAndHealthy(a, sha), 60_000, 50);
      const live = await kube.read<V1Deployment>({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'web', namespace },
      });
      if ((live?.status?.readyReplicas ?? 0) !== replicas)
        throw new Error(
          `round ${round}: Synced+Healthy but ${live?.status?.readyReplicas} of ${replicas} pods ready`,
        );
      latency.push(Date.now() - pushed);

      let t = Date.now();
      await run('git', [
        '-C',
        join(scratch, 'floor-clone'),
        'fetch',
        '--quiet',
        '--depth=1',
        'origin',
        'main',
      ]);
      fetchFloor.push(Date.now() - t);
      const file = join(scratch, 'deployment.yaml');
      await writeFile(file, manifest);
      t = Date.now();
      await run(kubectl, [
        `--kubeconfig=${infra.kubeconfigPath}`,
        '-n',
        floorNamespace,
        'apply',
        '--server-side',
        '--field-manager=bench',
        '-f',
        file,
      ]);
      applyFloor.push(Date.now() - t);
      process.stdout.write(
        `  round ${String(round).padStart(2)}: ${seconds(latency.at(-1) ?? 0)}\n`,
      );
    }

    const meanPollWait = (POLL_SECONDS * 1000) / 2;
    const bound = meanPollWait + 2000 + quantile(fetchFloor, 0.5) + quantile(applyFloor, 0.5);
    console.log(
      `\nsync latency, commit pushed → pods ready and app Synced at the new SHA (poll every ${POLL_SECONDS} s)`,
    );
    console.log(summary('commit to ready', latency));
    console.log(summary('floor: git fetch of the commit', fetchFloor));
    console.log(summary('floor: kubectl apply --server-side', applyFloor));
    console.log(
      `goal: p50 ≤ mean poll wait ${seconds(meanPollWait)} + 2 s + floors = ${seconds(bound)}`,
    );
    const met = quantile(latency, 0.5) <= bound;
    console.log(met ? 'goal met' : 'GOAL MISSED');
    await work.dispose();
    return met ? 0 : 1;
  } finally {
    await cut.stop();
    await release();
    await rm(scratch, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (err: Error) => {
    console.error(`bench: ${err.stack ?? err.message}`);
    process.exit(1);
  },
);
