import { createRepository, type GitServer, WorkingCopy } from '@cairn/testing/infra';

/**
 * The fleet bench/scale deploys: N apps of a few realistic objects each, spread over R git
 * repositories (many app paths per repository, as a platform team keeps them), M namespaces
 * and K clusters.
 */

export interface FleetShape {
  apps: number;
  namespaces: number;
  clusters: string[];
  objects: number;
  repos: number;
}

export interface FleetApp {
  name: string;
  namespace: string;
  cluster: string;
  /** Index into the fleet's repositories. */
  repo: number;
  path: string;
}

const pad = (n: number) => String(n).padStart(4, '0');

/** App i lives in namespace ns-(i mod M), on cluster (i mod K), in repository (i mod R). */
export function fleetApps(shape: FleetShape): FleetApp[] {
  return Array.from({ length: shape.apps }, (_, i) => {
    const name = `app-${pad(i)}`;
    return {
      name,
      namespace: `ns-${pad(i % shape.namespaces)}`,
      cluster: shape.clusters[i % shape.clusters.length],
      repo: i % shape.repos,
      path: `apps/${name}`,
    };
  });
}

/**
 * The app's objects, in this order, as many as asked: a Deployment of one replica with its
 * ServiceAccount, ConfigMap and Secret, the Service in front of it, a Role and its
 * RoleBinding, then more ConfigMaps.
 */
export function appManifests(app: string, objects: number): Record<string, string> {
  const all: Array<[string, string]> = [
    ['deployment', deployment(app)],
    [
      'service',
      `apiVersion: v1
kind: Service
metadata: {name: ${app}, labels: {app: ${app}}}
spec:
  selector: {app: ${app}}
  ports: [{name: http, port: 80, targetPort: 8080}]
`,
    ],
    [
      'configmap',
      `apiVersion: v1
kind: ConfigMap
metadata: {name: ${app}-config, labels: {app: ${app}}}
data:
  LOG_LEVEL: info
  LISTEN: ":8080"
`,
    ],
    [
      'serviceaccount',
      `apiVersion: v1
kind: ServiceAccount
metadata: {name: ${app}, labels: {app: ${app}}}
`,
    ],
    [
      'secret',
      `apiVersion: v1
kind: Secret
metadata: {name: ${app}-credentials, labels: {app: ${app}}}
type: Opaque
stringData:
  DATABASE_PASSWORD: not-a-real-password-${app}
`,
    ],
    [
      'role',
      `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: ${app}, labels: {app: ${app}}}
rules:
  - {apiGroups: [""], resources: [configmaps], verbs: [get, list, watch]}
`,
    ],
    [
      'rolebinding',
      `apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: ${app}, labels: {app: ${app}}}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: ${app}}
subjects: [{kind: ServiceAccount, name: ${app}}]
`,
    ],
  ];
  for (let extra = 1; all.length < objects; extra++)
    all.push([
      `configmap-${extra}`,
      `apiVersion: v1
kind: ConfigMap
metadata: {name: ${app}-extra-${extra}, labels: {app: ${app}}}
data: {n: "${extra}"}
`,
    ]);
  return Object.fromEntries(all.slice(0, objects).map(([file, yaml]) => [`${file}.yaml`, yaml]));
}

function deployment(app: string): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${app}, labels: {app: ${app}}}
spec:
  replicas: 1
  selector: {matchLabels: {app: ${app}}}
  template:
    metadata: {labels: {app: ${app}}}
    spec:
      serviceAccountName: ${app}
      containers:
        - name: web
          image: nginx:1.27
          ports: [{containerPort: 8080}]
          envFrom: [{configMapRef: {name: ${app}-config, optional: true}}]
          resources: {requests: {cpu: 10m, memory: 16Mi}}
`;
}

/**
 * One repository per index on the git server, each with one commit holding its apps' paths;
 * returns the clone URLs by index. A few at a time: each is a handful of git processes.
 */
export async function createFleetRepositories(
  server: GitServer,
  shape: FleetShape,
  apps: FleetApp[],
): Promise<string[]> {
  const urls: string[] = new Array(shape.repos);
  const create = async (r: number) => {
    const url = await createRepository(server, `fleet-${pad(r)}`);
    const work = await WorkingCopy.clone(url);
    const files: Record<string, string> = {};
    for (const app of apps.filter((a) => a.repo === r))
      for (const [file, yaml] of Object.entries(appManifests(app.name, shape.objects)))
        files[`${app.path}/${file}`] = yaml;
    await work.writeFiles(files);
    await work.commit(`${Object.keys(files).length} manifests`);
    await work.push();
    await work.dispose();
    urls[r] = url;
  };
  let next = 0;
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      while (next < shape.repos) await create(next++);
    }),
  );
  return urls;
}
