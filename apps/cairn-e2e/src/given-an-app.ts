import { ClusterClient, loadKubeConfig } from '@cairn/kube';
import {
  type CairnUnderTest,
  createRepository,
  createTestNamespace,
  testInfra,
  uniqueName,
  WorkingCopy,
} from '@cairn/testing';
import { readFileSync } from 'node:fs';

/** Manifests of a small web app, as a team would keep them in git. */
export function webManifests(opts: {
  replicas: number | string;
  greeting?: string;
}): Record<string, string> {
  return {
    'apps/web/deployment.yaml': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: ${typeof opts.replicas === 'string' ? JSON.stringify(opts.replicas) : opts.replicas}
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: nginx:1.27
`,
    'apps/web/configmap.yaml': `apiVersion: v1
kind: ConfigMap
metadata:
  name: web-settings
data:
  greeting: ${JSON.stringify(opts.greeting ?? 'hello')}
`,
  };
}

/**
 * Given: a git repository holding the web app, registered with Cairn together with the
 * run's cluster and an application with automated sync into a namespace of its own.
 */
export async function givenAnAutomatedApp(
  cairnUnderTest: CairnUnderTest,
  pollIntervalSeconds: number,
) {
  const { cairn, git } = cairnUnderTest;
  const namespace = await createTestNamespace('gitops');
  const repoUrl = await createRepository(git, uniqueName('apps'));
  const work = await WorkingCopy.clone(repoUrl);
  await work.writeFiles(webManifests({ replicas: 1 }));
  const firstCommit = await work.commit('web: one replica');
  await work.push();

  const cluster = uniqueName('cluster');
  const app = uniqueName('web');
  await cairn.createRepository({ url: repoUrl, pollIntervalSeconds });
  await cairn.createCluster({
    name: cluster,
    kubeconfig: readFileSync(testInfra().kubeconfigPath, 'utf8'),
  });
  await cairn.createApplication({
    metadata: { name: app },
    spec: {
      source: { repoURL: repoUrl, path: 'apps/web', targetRevision: 'main' },
      destination: { name: cluster, namespace: namespace.name },
      syncPolicy: { automated: { prune: true, selfHeal: false } },
    },
  });
  const kube = new ClusterClient(loadKubeConfig({ path: testInfra().kubeconfigPath }));
  return { app, cluster, namespace, repoUrl, work, firstCommit, kube };
}
