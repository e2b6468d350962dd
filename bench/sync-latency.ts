import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { V1Deployment } from '@kubernetes/client-node';
import { type CairnClient, isSyncedAndHealthy } from '@cairn/client';
import { ensureBinaries } from '@cairn/cluster';
import { assessHealth, type KubeObject } from '@cairn/health';
import { ClusterClient, loadKubeConfig } from '@cairn/kube';
import {
  createRepository,
  provisionTestInfra,
  startCairn,
  uniqueName,
  WorkingCopy,
} from '@cairn/testing/infra';
import { deliverGithubPush } from './github-push';
import { quantile, seconds, summary } from './stats';

/**
 * Commit-to-ready latency of the whole loop, on real parts: a push to a git server, then
 * (by default) a signed GitHub push delivery to POST /api/v1/webhooks/git as the git host
 * would send it, the poller's ref check and fetch, render, JetStream, the reconciler's
 * dry-run and server-side apply, and the Deployment's pods Ready with the app Synced and
 * Healthy at the new SHA as GET /applications/{name} shows it. In webhook mode the repository
 * is polled once an hour, so only the webhook can find a commit. Measured in the same run,
 * its floors: a `git fetch` of that commit, a `kubectl apply --server-side` of the same
 * manifests, and the cluster's rollout of that apply until the Deployment is Healthy (the
 * deployment controller, scheduler and kwok making the new pods Ready). What is left of each
 * sample after its own `git push` and the round's fetch and rollout floors is Cairn's share.
 *
 *   npm run bench:sync-latency [-- --commits 20]            through the webhook
 *   npm run bench:sync-latency [-- --via poll --poll 2]     through polling
 *
 * Goals: through the webhook, p50 under 1.5 s and p95 under 3 s (absolute: what a user
 * waits); through polling, p50 within 2 s of the mean poll wait plus the floors' p50.
 * Exits non-zero when the goal is missed.
 */
const run = promisify(execFile);
const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? fallback : Number(process.argv[i + 1]);
};
const VIA = process.argv.includes('--via')
  ? process.argv[process.argv.indexOf('--via') + 1]
  : 'webhook';
if (VIA !== 'webhook' && VIA !== 'poll') throw new Error(`--via is webhook or poll, not ${VIA}`);
const COMMITS = arg('commits', 20);
/** Through the webhook, timed polls must not find the commit first: one an hour. */
const POLL_SECONDS = VIA === 'webhook' ? 3_600 : arg('poll', 2);
const WEBHOOK_GOAL = { p50: 1_500, p95: 3_000 };
/** How often the bench asks the API and the cluster: well below the figures it measures. */
const ASK_EVERY_MS = 50;
const SAMPLE_TIMEOUT_MS = 60_000;

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

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Asks the API until the app is Synced at `sha` and Healthy; when each was first seen. */
async function untilReady(cairn: CairnClient, sha: string, since: number) {
  const deadline = since + SAMPLE_TIMEOUT_MS;
  let synced: number | undefined;
  let last: unknown;
  while (Date.now() < deadline) {
    const app = await cairn.getApplication('bench');
    last = app.status;
    if (app.status.sync.status === 'Synced' && app.status.sync.revision === sha)
      synced ??= Date.now() - since;
    if (isSyncedAndHealthy(app, sha)) {
      const ready = Date.now() - since;
      return { synced: synced ?? ready, ready };
    }
    await sleep(ASK_EVERY_MS);
  }
  throw new Error(`not Synced+Healthy at ${sha} within 60 s; last status ${JSON.stringify(last)}`);
}

/** Asks the cluster until the Deployment is rolled out at `round` and Healthy, as Cairn assesses it. */
async function untilRolledOut(kube: ClusterClient, namespace: string, round: number) {
  const deadline = Date.now() + SAMPLE_TIMEOUT_MS;
  while (Date.now() < deadline) {
    const live = await kube.read<V1Deployment>({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace },
    });
    const current = live?.spec?.template.metadata?.annotations?.round === String(round);
    if (current && assessHealth(live as KubeObject).status === 'Healthy') return;
    await sleep(ASK_EVERY_MS / 2);
  }
  throw new Error(`floor Deployment in ${namespace} not rolled out at round ${round} within 60 s`);
}

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
    let previous = await work.commit('round 0');
    await work.push();
    await run('git', ['clone', '--quiet', '--depth=1', repoUrl, join(scratch, 'floor-clone')]);

    const webhookSecret = randomBytes(16).toString('hex');
    const repository = await cut.cairn.createRepository({
      url: repoUrl,
      pollIntervalSeconds: POLL_SECONDS,
      ...(VIA === 'webhook' && { webhookSecret }),
    });
    await cut.cairn.createCluster({ name: 'bench', kubeconfig });
    await cut.cairn.createApplication({
      metadata: { name: 'bench' },
      spec: {
        source: { repoURL: repoUrl, path: 'app', targetRevision: 'main' },
        destination: { name: 'bench', namespace },
        syncPolicy: { automated: { prune: true } },
      },
    });
    await cut.cairn.waitForApplication(
      'bench',
      (a) => isSyncedAndHealthy(a, previous),
      120_000,
      50,
    );

    const latency: number[] = [];
    const pushes: number[] = [];
    const untilSynced: number[] = [];
    const fetchFloor: number[] = [];
    const applyFloor: number[] = [];
    const rolloutFloor: number[] = [];
    for (let round = 1; round <= COMMITS; round++) {
      const replicas = (round % 3) + 1;
      const manifest = deployment(replicas, round);
      await work.writeFiles({ 'app/deployment.yaml': manifest });
      const sha = await work.commit(`round ${round}`);
      const pushed = Date.now();
      await work.push();
      pushes.push(Date.now() - pushed);
      if (VIA === 'webhook') {
        const receipt = await deliverGithubPush(cut.apiUrl, {
          repoUrl,
          before: previous,
          after: sha,
          secret: webhookSecret,
        });
        if (!receipt.polled.includes(repository.id))
          throw new Error(
            `round ${round}: the webhook asked for no poll: ${JSON.stringify(receipt)}`,
          );
      }
      previous = sha;
      const seen = await untilReady(cut.cairn, sha, pushed);
      const live = await kube.read<V1Deployment>({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'web', namespace },
      });
      if ((live?.status?.readyReplicas ?? 0) !== replicas)
        throw new Error(
          `round ${round}: Synced+Healthy but ${live?.status?.readyReplicas} of ${replicas} pods ready`,
        );
      latency.push(seen.ready);
      untilSynced.push(seen.synced);

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
      t = Date.now();
      await untilRolledOut(kube, floorNamespace, round);
      rolloutFloor.push(Date.now() - t);
      process.stdout.write(
        `  round ${String(round).padStart(2)}: ${seconds(seen.ready)} (Synced at ${seconds(seen.synced)})\n`,
      );
    }

    const max = (samples: number[]) => `   max ${seconds(Math.max(...samples)).padStart(8)}`;
    console.log(
      VIA === 'webhook'
        ? `\nsync latency, commit pushed and webhook delivered → pods ready and app Synced+Healthy at the new SHA (timed polls every ${POLL_SECONDS} s)`
        : `\nsync latency, commit pushed → pods ready and app Synced+Healthy at the new SHA (poll every ${POLL_SECONDS} s)`,
    );
    const share = latency.map((ms, i) => ms - pushes[i] - fetchFloor[i] - rolloutFloor[i]);
    console.log(summary('commit to ready', latency) + max(latency));
    console.log(summary('  of which git push', pushes));
    console.log(summary('  until Synced at the SHA', untilSynced) + max(untilSynced));
    console.log(summary('floor: git fetch of the commit', fetchFloor));
    console.log(summary('floor: kubectl apply --server-side', applyFloor));
    console.log(summary('floor: rollout of that apply', rolloutFloor));
    console.log(summary("Cairn's share (ready−push−floors)", share));
    console.log(
      `load average: ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')} (1, 5, 15 min)`,
    );

    let met: boolean;
    if (VIA === 'webhook') {
      const [p50, p95] = [quantile(latency, 0.5), quantile(latency, 0.95)];
      console.log(
        `goal: p50 ${seconds(p50)} < ${seconds(WEBHOOK_GOAL.p50)} and p95 ${seconds(p95)} < ${seconds(WEBHOOK_GOAL.p95)}`,
      );
      met = p50 < WEBHOOK_GOAL.p50 && p95 < WEBHOOK_GOAL.p95;
    } else {
      const meanPollWait = (POLL_SECONDS * 1000) / 2;
      const bound = meanPollWait + 2000 + quantile(fetchFloor, 0.5) + quantile(applyFloor, 0.5);
      console.log(
        `goal: p50 ≤ mean poll wait ${seconds(meanPollWait)} + 2 s + floors = ${seconds(bound)}`,
      );
      met = quantile(latency, 0.5) <= bound;
    }
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
