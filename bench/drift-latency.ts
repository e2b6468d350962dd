import type { V1Deployment } from '@kubernetes/client-node';
import { type ApplicationView, isSyncedAndHealthy } from '@cairn/client';
import { ClusterClient, loadKubeConfig } from '@cairn/kube';
import {
  createRepository,
  provisionTestInfra,
  startCairn,
  uniqueName,
  WorkingCopy,
} from '@cairn/testing/infra';
import { readFile } from 'node:fs/promises';
import { quantile, seconds, summary } from './stats';

/**
 * Drift latency of a self-heal app, on real parts (the built services, JetStream,
 * PostgreSQL, a real API server): an out-of-band `kubectl scale` of one of its Deployments,
 * then
 *   detection: until GET /applications/{name} says OutOfSync, or a DriftDetected event is
 *              in GET /applications/{name}/events;
 *   repair:    until the Deployment is back at its declared replicas and the app is Synced.
 * Each trial scales another Deployment of the app: self-heal's backoff is per object, and
 * scaling one object again and again within a minute is exactly the fight it holds back
 * from (the first revert of an object is immediate, the next ones wait 1 s, 2 s, ...).
 * Goal: p95 of both under 3 s.
 *
 *   npx tsx bench/drift-latency.ts [--trials 20]
 */
const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? fallback : Number(process.argv[i + 1]);
};
const TRIALS = arg('trials', 20);
const GOAL_MS = 3_000;
const DECLARED = 2;
const POLL_MS = 20;
const TRIAL_TIMEOUT_MS = 30_000;

const deployment = (name: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
spec:
  replicas: ${DECLARED}
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec: {containers: [{name: web, image: nginx:1.27}]}
`;

interface EventView {
  id: number;
  type: string;
  message: string;
}

async function main(): Promise<number> {
  const { infra, release } = await provisionTestInfra();
  const cut = await startCairn(infra, { pollIntervalSeconds: 2 });
  try {
    const kube = new ClusterClient(loadKubeConfig({ path: infra.kubeconfigPath }));
    const namespace = uniqueName('drift-bench');
    await kube.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } });

    const names = Array.from({ length: TRIALS }, (_, i) => `web-${i + 1}`);
    const repoUrl = await createRepository(cut.git, 'drift-bench');
    const work = await WorkingCopy.clone(repoUrl);
    await work.writeFiles(Object.fromEntries(names.map((n) => [`app/${n}.yaml`, deployment(n)])));
    const first = await work.commit('deployments');
    await work.push();

    await cut.cairn.createRepository({ url: repoUrl, pollIntervalSeconds: 2 });
    await cut.cairn.createCluster({
      name: 'bench',
      kubeconfig: await readFile(infra.kubeconfigPath, 'utf8'),
    });
    await cut.cairn.createApplication({
      metadata: { name: 'drift' },
      spec: {
        source: { repoURL: repoUrl, path: 'app', targetRevision: 'main' },
        destination: { name: 'bench', namespace },
        syncPolicy: { automated: { prune: true, selfHeal: true } },
      },
    });
    await cut.cairn.waitForApplication('drift', (a) => isSyncedAndHealthy(a, first), 120_000, 50);

    const replicasOf = async (name: string) =>
      (
        await kube.read<V1Deployment>({
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          metadata: { name, namespace },
        })
      )?.spec?.replicas;
    const events = () =>
      cut.cairn.request<{ items: EventView[] }>('GET', '/applications/drift/events');
    const app = () => cut.cairn.getApplication('drift');

    const detection: number[] = [];
    const repair: number[] = [];
    for (const [i, name] of names.entries()) {
      const seen = new Set((await events()).items.map((e) => e.id));
      const edited = Date.now();
      // What `kubectl scale deploy <name> --replicas=5` does: the scale subresource, as kubectl.
      await kube.http.json(
        'PATCH',
        `/apis/apps/v1/namespaces/${namespace}/deployments/${name}/scale`,
        {
          query: { fieldManager: 'kubectl' },
          body: { spec: { replicas: 5 } },
          contentType: 'application/merge-patch+json',
        },
      );
      let detected: number | undefined;
      let repaired: number | undefined;
      while (repaired === undefined) {
        if (Date.now() - edited > TRIAL_TIMEOUT_MS)
          throw new Error(
            `trial ${i + 1} (${name}): ${detected === undefined ? 'drift not detected' : 'not repaired'} within ${TRIAL_TIMEOUT_MS / 1000} s`,
          );
        const [view, log, replicas] = await Promise.all([app(), events(), replicasOf(name)]);
        const now = Date.now();
        if (detected === undefined && (isOutOfSync(view) || driftEvent(log.items, seen, name)))
          detected = now - edited;
        if (detected !== undefined && replicas === DECLARED && view.status.sync.status === 'Synced')
          repaired = now - edited;
        else await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      }
      detection.push(detected as number);
      repair.push(repaired);
      process.stdout.write(
        `  trial ${String(i + 1).padStart(2)} (${name}): detected ${seconds(detected as number)}, repaired ${seconds(repaired)}\n`,
      );
    }

    console.log(
      `\ndrift latency of a self-heal app, out-of-band scale to 5 of a Deployment declaring ${DECLARED} (${TRIALS} trials)`,
    );
    console.log(summary('drift detected (edit → OutOfSync)', detection));
    console.log(summary('drift repaired (edit → Synced)', repair));
    const met = quantile(detection, 0.95) < GOAL_MS && quantile(repair, 0.95) < GOAL_MS;
    console.log(`goal: p95 of both < ${seconds(GOAL_MS)}: ${met ? 'goal met' : 'GOAL MISSED'}`);
    await work.dispose();
    return met ? 0 : 1;
  } finally {
    await cut.stop();
    await release();
  }
}

function isOutOfSync(view: ApplicationView): boolean {
  return view.status.sync.status === 'OutOfSync';
}

function driftEvent(items: EventView[], seen: Set<number>, name: string): boolean {
  return items.some(
    (e) => !seen.has(e.id) && e.type === 'DriftDetected' && e.message.includes(`/${name}:`),
  );
}

main().then(
  (code) => process.exit(code),
  (err: Error) => {
    console.error(`bench: ${err.stack ?? err.message}`);
    process.exit(1);
  },
);
