import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CairnApiError, CairnClient, isSyncedAndHealthy } from '@cairn/client';
import {
  ensureBinaries,
  isRunning,
  recordedProcesses,
  startClusters,
  startComponent,
  stopClusters,
  stopComponents,
  workspaceRoot,
} from '@cairn/cluster';
import { adminTokenFile, localStackSettings, serviceUrl, stackDown, stackUp } from '@cairn/stack';
import { createRepository, WorkingCopy } from '@cairn/testing/git';
import { DEMO_APP_PATH, demoManifests } from './demo-repository';

/**
 * `npm run demo`: the whole loop on one machine. A real local cluster, the Cairn stack, a
 * git server holding a demo repository; registers all three and waits until the app is
 * Synced and Healthy. `npm run demo -- down` takes it all away again.
 */
const CLUSTER = 'local-1';
const APP = 'guestbook';
const GIT_PORT = Number(process.env.CAIRN_DEMO_GIT_PORT ?? 8929);
const root = workspaceRoot();
const demoDir = join(root, '.cairn', 'demo');
const gitProcesses = { logs: join(root, '.cairn', 'logs'), pids: join(demoDir, 'pids') };
const step = (text: string) => console.log(`\n▸ ${text}`);

async function startGitServer(): Promise<string> {
  const url = `http://127.0.0.1:${GIT_PORT}`;
  if (!recordedProcesses(gitProcesses).some((p) => isRunning(p.pid, p.binary))) {
    for (const dir of Object.values(gitProcesses)) mkdirSync(dir, { recursive: true });
    const tsx = join(root, 'node_modules', '.bin', 'tsx');
    startComponent(
      gitProcesses,
      'git-server',
      process.execPath,
      [tsx, join(root, 'tools', 'demo', 'src', 'git-server-main.ts')],
      { ...process.env, CAIRN_DEMO_GIT_PORT: String(GIT_PORT) },
    );
  }
  for (let i = 0; i < 100; i++) {
    if (
      await fetch(`${url}/`).then(
        () => true,
        () => false,
      )
    )
      return url;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(
    `the demo git server did not start on port ${GIT_PORT}; see .cairn/logs/git-server.log`,
  );
}

/** Creates the demo repository with its first commit, once. */
async function seedRepository(gitUrl: string): Promise<string> {
  const repoUrl = `${gitUrl}/demo.git`;
  if (existsSync(join(root, '.cairn', 'git', 'demo.git'))) return repoUrl;
  await createRepository({ url: gitUrl, root: join(root, '.cairn', 'git') }, 'demo');
  const work = await WorkingCopy.clone(repoUrl);
  await work.writeFiles(demoManifests(1));
  await work.commit('guestbook: first version');
  await work.push();
  await work.dispose();
  return repoUrl;
}

/** Registers, tolerating what an earlier run already registered. */
async function register(action: () => Promise<unknown>): Promise<void> {
  try {
    await action();
  } catch (err) {
    if (!(err instanceof CairnApiError && err.status === 409)) throw err;
  }
}

async function up(): Promise<void> {
  const started = Date.now();
  step('Building the local Kubernetes binaries (first run only) and starting cluster local-1');
  await ensureBinaries();
  const [cluster] = await startClusters({ names: [CLUSTER] });
  console.log(`  ${cluster.name}: ${cluster.server}`);

  step('Starting the demo git server');
  const gitUrl = await startGitServer();
  const repoUrl = await seedRepository(gitUrl);
  console.log(`  ${repoUrl}`);

  step('Starting Cairn: api, repo-poller, reconciler');
  const settings = localStackSettings({ CAIRN_POLL_INTERVAL_SECONDS: '5', ...process.env });
  await stackUp(settings);
  const apiUrl = serviceUrl(settings, 'api');
  const token = settings.adminToken ?? readFileSync(adminTokenFile(settings), 'utf8').trim();
  const cairn = new CairnClient(apiUrl, token);

  step('Registering the repository, the cluster and the application');
  await register(() => cairn.createRepository({ url: repoUrl, pollIntervalSeconds: 5 }));
  await register(() =>
    cairn.createCluster({
      name: CLUSTER,
      kubeconfig: readFileSync(cluster.kubeconfigPath, 'utf8'),
    }),
  );
  await register(() =>
    cairn.createApplication({
      metadata: { name: APP },
      spec: {
        source: { repoURL: repoUrl, path: DEMO_APP_PATH, targetRevision: 'main' },
        destination: { name: CLUSTER, namespace: APP },
        syncPolicy: {
          automated: { prune: true, selfHeal: true },
          syncOptions: ['CreateNamespace=true'],
        },
      },
    }),
  );

  step(`Waiting until ${APP} is Synced and Healthy`);
  const app = await cairn.waitForApplication(APP, (a) => isSyncedAndHealthy(a), 120_000);
  console.log(
    `  ${APP}: ${app.status.sync.status} at ${app.status.sync.revision?.slice(0, 7)}, ${app.status.health.status}`,
  );
  for (const r of app.status.resources ?? [])
    console.log(
      `    ${r.kind.padEnd(11)} ${r.namespace ?? ''}/${r.name}  ${r.status}  ${r.health?.status ?? ''}`,
    );
  const kubectl = (await ensureBinaries()).kubectl;
  console.log(`
Cairn is running (${((Date.now() - started) / 1000).toFixed(0)}s). Things to try:

  export CAIRN_TOKEN=$(cat ${adminTokenFile(settings)})
  curl -s -H "Authorization: Bearer $CAIRN_TOKEN" ${apiUrl}/api/v1/applications/${APP}
  ${kubectl} --kubeconfig ${cluster.kubeconfigPath} -n ${APP} get deploy,svc,cm

  Change git and watch the cluster follow (the poller checks every 5 s):
  git clone ${repoUrl} /tmp/demo && cd /tmp/demo
  sed -i 's/replicas: 1/replicas: 3/' ${DEMO_APP_PATH}/deployment.yaml
  git commit -am "three replicas" && git push

  npm run stack -- status     # the services, their memory
  npm run demo -- down        # stop everything the demo started
`);
}

async function down(): Promise<void> {
  await stackDown();
  await stopComponents(gitProcesses, ['git-server']);
  await stopClusters({ names: [CLUSTER] });
  console.log(
    'demo stopped: Cairn, the git server and cluster local-1 (the demo repository stays in .cairn/git)',
  );
}

(process.argv[2] === 'down' ? down() : up()).catch((err: Error) => {
  console.error(`demo: ${err.message}`);
  process.exitCode = 1;
});
