/**
 * The Kubernetes manifests under k8s/, checked against a real kube-apiserver: each
 * kustomization renders, the API server accepts every object in a server-side dry-run
 * without a warning (its namespace enforces the "restricted" Pod Security Standard, so a
 * pod that could not run there is a warning), and the workloads carry what a reviewer
 * looks for: probes, resources, non-root, read-only root, no API token where none is
 * needed.
 *
 * Each kustomization is dry-run in a namespace of the test's own: a wrapper kustomization
 * moves it there, the way a user installs Cairn into another namespace.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { ensureBinaries, workspaceRoot } from '@cairn/cluster';
import { testInfra, uniqueName } from '@cairn/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';

// The shapes this test reads; everything else in a manifest passes through untouched.
interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef?: { name: string; key: string } };
}
interface Container {
  name: string;
  env?: EnvVar[];
  envFrom?: { configMapRef?: { name: string } }[];
  livenessProbe?: { httpGet?: { path: string } };
  readinessProbe?: { httpGet?: { path: string } };
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  securityContext?: {
    runAsNonRoot?: boolean;
    readOnlyRootFilesystem?: boolean;
    allowPrivilegeEscalation?: boolean;
    capabilities?: { drop?: string[] };
  };
  volumeMounts?: { name: string; mountPath: string }[];
}
interface PodSpec {
  serviceAccountName?: string;
  automountServiceAccountToken?: boolean;
  enableServiceLinks?: boolean;
  securityContext?: { runAsNonRoot?: boolean; seccompProfile?: { type: string } };
  containers: Container[];
  volumes?: { name: string; secret?: { secretName: string } }[];
}
interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; annotations?: Record<string, string> };
  automountServiceAccountToken?: boolean;
  data?: Record<string, string>;
  roleRef?: { name: string };
  subjects?: { kind: string; name: string; namespace?: string }[];
  spec?: { template?: { metadata?: { annotations?: Record<string, string> }; spec: PodSpec } };
}

const root = workspaceRoot();
let kubectlPath: string;

function kubectl(args: string[], input = ''): Promise<{ stdout: string; stderr: string }> {
  const argv = [`--kubeconfig=${testInfra().kubeconfigPath}`, ...args];
  return new Promise((resolve, reject) => {
    const child = execFile(kubectlPath, argv, { maxBuffer: 32 << 20 }, (error, stdout, stderr) =>
      error
        ? reject(new Error(`kubectl ${args.join(' ')} failed:\n${stderr || error.message}`))
        : resolve({ stdout, stderr }),
    );
    child.stdin?.end(input);
  });
}

const parseObjects = (yaml: string): KubeObject[] =>
  parseAllDocuments(yaml).map((doc) => doc.toJS() as KubeObject);

/** Kind/name, with the content hash kustomize appends to generated ConfigMaps and Secrets cut off. */
function kindAndName({ kind, metadata: { name } }: KubeObject): string {
  const generated = kind === 'ConfigMap' || kind === 'Secret';
  return `${kind}/${generated ? name.replace(/-[a-z0-9]{10}$/, '') : name}`;
}

const workloads = (objects: KubeObject[]) =>
  objects.filter((o) => o.kind === 'Deployment' || o.kind === 'StatefulSet');

function find(objects: KubeObject[], kind: string, name: string): KubeObject {
  const found = objects.find((o) => o.kind === kind && o.metadata.name === name);
  if (!found) throw new Error(`no ${kind}/${name} among ${objects.map(kindAndName).join(', ')}`);
  return found;
}

const podSpec = (workload: KubeObject): PodSpec => workload.spec?.template?.spec as PodSpec;
const container = (objects: KubeObject[], deployment: string) =>
  podSpec(find(objects, 'Deployment', deployment)).containers[0];

/** What a reviewer checks on every workload, as readable violations (none expected). */
function workloadViolations(objects: KubeObject[]): string[] {
  const problems: string[] = [];
  for (const workload of workloads(objects)) {
    const pod = podSpec(workload);
    const at = (c: Container, what: string) =>
      problems.push(`${workload.kind}/${workload.metadata.name} ${c.name}: ${what}`);
    if (pod.securityContext?.seccompProfile?.type !== 'RuntimeDefault')
      problems.push(`${workload.metadata.name}: seccompProfile is not RuntimeDefault`);
    if (pod.enableServiceLinks !== false)
      problems.push(`${workload.metadata.name}: service links would inject CAIRN_*_PORT`);
    for (const c of pod.containers) {
      if (!c.livenessProbe) at(c, 'no liveness probe');
      if (!c.readinessProbe) at(c, 'no readiness probe');
      if (!c.resources?.requests?.cpu || !c.resources.requests.memory) at(c, 'no requests');
      if (!c.resources?.limits?.memory) at(c, 'no memory limit');
      const sc = c.securityContext;
      if (!(sc?.runAsNonRoot ?? pod.securityContext?.runAsNonRoot)) at(c, 'may run as root');
      if (sc?.readOnlyRootFilesystem !== true) at(c, 'writable root filesystem');
      if (sc?.allowPrivilegeEscalation !== false) at(c, 'privilege escalation allowed');
      if (!sc?.capabilities?.drop?.includes('ALL')) at(c, 'capabilities not dropped');
    }
  }
  return problems;
}

/** The probes and Prometheus annotations of a Cairn service (not of NATS or PostgreSQL). */
function expectCairnService(objects: KubeObject[], deployment: string, port: string) {
  const workload = find(objects, 'Deployment', deployment);
  const c = podSpec(workload).containers[0];
  expect(c.livenessProbe?.httpGet?.path).toBe('/healthz');
  expect(c.readinessProbe?.httpGet?.path).toBe('/readyz');
  expect(workload.spec?.template?.metadata?.annotations).toMatchObject({
    'prometheus.io/scrape': 'true',
    'prometheus.io/port': port,
    'prometheus.io/path': '/metrics',
  });
}

/**
 * Renders k8s/<dir> as is, then dry-runs it on the server moved into a namespace of the
 * test's own, which is created for real (with the manifest's own Pod Security labels).
 */
function describeKustomization(
  dir: string,
  namespace: string,
  expected: string[],
  checks: (objects: KubeObject[]) => void,
) {
  describe(`k8s/${dir}`, () => {
    const testNamespace = uniqueName('deploy');
    const wrapper = mkdtempSync(join(tmpdir(), 'cairn-k8s-'));
    let objects: KubeObject[] = [];
    let moved: KubeObject[] = [];
    let movedYaml = '';

    beforeAll(async () => {
      kubectlPath = (await ensureBinaries()).kubectl;
      objects = parseObjects((await kubectl(['kustomize', join(root, 'k8s', dir)])).stdout);
      writeFileSync(
        join(wrapper, 'kustomization.yaml'),
        [
          `namespace: ${testNamespace}`,
          `resources: [${relative(wrapper, join(root, 'k8s', dir))}]`,
          'transformers:',
          '  - |-',
          '    apiVersion: builtin',
          '    kind: NamespaceTransformer',
          `    metadata: { name: into-test-namespace, namespace: ${testNamespace} }`,
          '    setRoleBindingSubjects: allServiceAccounts',
          '    unsetOnly: false',
        ].join('\n'),
      );
      movedYaml = (await kubectl(['kustomize', wrapper])).stdout;
      moved = parseObjects(movedYaml);
      const ns = find(moved, 'Namespace', testNamespace);
      await kubectl(['apply', '-f', '-'], JSON.stringify(ns));
    });

    afterAll(async () => {
      rmSync(wrapper, { recursive: true, force: true });
      await kubectl(['delete', 'namespace', testNamespace, '--wait=false', '--ignore-not-found']);
    });

    it('renders every expected object, all in its namespace', () => {
      expect(objects.map(kindAndName).sort()).toEqual([...expected].sort());
      const clusterScoped = ['Namespace', 'ClusterRole', 'ClusterRoleBinding'];
      for (const o of objects.filter((o) => !clusterScoped.includes(o.kind)))
        expect(o.metadata.namespace, kindAndName(o)).toBe(namespace);
    });

    it('is accepted by the API server in a server-side dry-run, without a warning', async () => {
      const { stdout, stderr } = await kubectl(
        ['apply', '--dry-run=server', '-o', 'json', '-f', '-'],
        movedYaml,
      );
      const accepted = (JSON.parse(stdout) as { items: KubeObject[] }).items;
      const expectedHere = expected.map((e) =>
        e.replace(`Namespace/${namespace}`, `Namespace/${testNamespace}`),
      );
      expect(accepted.map(kindAndName).sort()).toEqual([...expectedHere].sort());
      // Pod Security violations and deprecated API versions both arrive as warnings.
      expect(stderr).toBe('');
    });

    it('runs every container with probes, resources, non-root and a read-only root', () => {
      expect(workloads(objects).length).toBeGreaterThan(0);
      expect(workloadViolations(objects)).toEqual([]);
    });

    it('ships only placeholders that the services refuse, never a usable secret', () => {
      for (const secret of objects.filter((o) => o.kind === 'Secret'))
        for (const [key, value] of Object.entries(secret.data ?? {}))
          expect(
            Buffer.from(value, 'base64').toString(),
            `${secret.metadata.name}/${key}`,
          ).toContain('REPLACE-ME');
    });

    it('has what this kustomization is for', () => checks(objects));

    it('would warn if a pod broke the namespace Pod Security Standard (the check is live)', async () => {
      const { stderr } = await kubectl([
        '-n',
        testNamespace,
        'create',
        'deployment',
        'privileged-by-default',
        '--image=registry.invalid/any',
        '--dry-run=server',
      ]);
      expect(stderr).toMatch(/would violate PodSecurity "restricted/);
    });
  });
}

const CONTROL_PLANE = [
  'Namespace/cairn',
  'ServiceAccount/cairn-api',
  'ServiceAccount/cairn-repo-poller',
  'ServiceAccount/cairn-reconciler',
  'ClusterRole/cairn-deployer',
  'ClusterRoleBinding/cairn-reconciler',
  'ConfigMap/cairn-config',
  'ConfigMap/cairn-nats-config',
  'Secret/cairn-secrets',
  'Service/cairn-api',
  'Service/cairn-nats',
  'Service/cairn-nats-headless',
  'Deployment/cairn-api',
  'Deployment/cairn-repo-poller',
  'Deployment/cairn-reconciler',
  'StatefulSet/cairn-nats',
  'PodDisruptionBudget/cairn-api',
  'PodDisruptionBudget/cairn-repo-poller',
  'PodDisruptionBudget/cairn-reconciler',
  'NetworkPolicy/cairn-nats',
];

function expectControlPlane(objects: KubeObject[]) {
  expectCairnService(objects, 'cairn-api', '8080');
  expectCairnService(objects, 'cairn-repo-poller', '8081');
  expectCairnService(objects, 'cairn-reconciler', '8082');
  expect(podSpec(find(objects, 'Deployment', 'cairn-api')).containers).toHaveLength(1);
  expect(find(objects, 'Deployment', 'cairn-api').spec).toMatchObject({ replicas: 2 });

  // No Kubernetes API access for the api and the repo-poller: no token in their pods.
  for (const name of ['cairn-api', 'cairn-repo-poller']) {
    const pod = podSpec(find(objects, 'Deployment', name));
    expect(pod.automountServiceAccountToken, `pods of ${name}`).toBe(false);
    expect(find(objects, 'ServiceAccount', name).automountServiceAccountToken, name).toBe(false);
  }
  // The reconciler, and only it, is bound to "what Cairn may deploy".
  expect(podSpec(find(objects, 'Deployment', 'cairn-reconciler')).serviceAccountName).toBe(
    'cairn-reconciler',
  );
  const binding = find(objects, 'ClusterRoleBinding', 'cairn-reconciler');
  expect(binding.roleRef?.name).toBe('cairn-deployer');
  expect(binding.subjects).toEqual([
    { kind: 'ServiceAccount', name: 'cairn-reconciler', namespace: 'cairn' },
  ]);

  // The git cache of the repo-poller is a writable volume, as the root filesystem is not.
  const poller = container(objects, 'cairn-repo-poller');
  const cacheDir = poller.env?.find((e) => e.name === 'CAIRN_CACHE_DIR')?.value;
  expect(poller.volumeMounts?.map((m) => m.mountPath)).toContain(cacheDir);

  // All three share one encryption key.
  for (const name of ['cairn-api', 'cairn-repo-poller', 'cairn-reconciler']) {
    const key = container(objects, name).env?.find((e) => e.name === 'CAIRN_ENCRYPTION_KEY');
    expect(key?.valueFrom?.secretKeyRef?.name, name).toMatch(/^cairn-secrets-/);
  }
}

describe('deployment manifests', () => {
  describeKustomization(
    'overlays/local',
    'cairn',
    [
      ...CONTROL_PLANE,
      'Secret/cairn-postgres',
      'Service/cairn-postgres',
      'StatefulSet/cairn-postgres',
      'NetworkPolicy/cairn-postgres',
    ],
    (objects) => {
      expectControlPlane(objects);
      // The database URL is built from the one password PostgreSQL also reads; Kubernetes
      // expands $(VAR) only from variables defined before it.
      const env = container(objects, 'cairn-api').env ?? [];
      const password = env.findIndex((e) => e.name === 'CAIRN_DATABASE_PASSWORD');
      const url = env.findIndex((e) => e.name === 'CAIRN_DATABASE_URL');
      expect(password).toBeGreaterThanOrEqual(0);
      expect(password, 'CAIRN_DATABASE_PASSWORD must precede CAIRN_DATABASE_URL').toBeLessThan(url);
      expect(env[url].value).toBe(
        'postgres://cairn:$(CAIRN_DATABASE_PASSWORD)@cairn-postgres:5432/cairn',
      );
      const postgresPassword = podSpec(
        find(objects, 'StatefulSet', 'cairn-postgres'),
      ).containers[0].env?.find((e) => e.name === 'POSTGRES_PASSWORD');
      expect(postgresPassword?.valueFrom?.secretKeyRef).toEqual(
        env[password].valueFrom?.secretKeyRef,
      );
    },
  );

  describeKustomization(
    'overlays/external-postgres',
    'cairn',
    [...CONTROL_PLANE, 'Secret/cairn-database'],
    (objects) => {
      expectControlPlane(objects);
      const url = container(objects, 'cairn-api').env?.find((e) => e.name === 'CAIRN_DATABASE_URL');
      expect(url?.valueFrom?.secretKeyRef).toEqual({
        name: expect.stringMatching(/^cairn-database-/),
        key: 'CAIRN_DATABASE_URL',
      });
    },
  );

  describeKustomization(
    'agent',
    'cairn-agent',
    [
      'Namespace/cairn-agent',
      'ServiceAccount/cairn-agent',
      'ClusterRole/cairn-agent-deployer',
      'ClusterRoleBinding/cairn-agent',
      'ConfigMap/cairn-agent-config',
      'Secret/cairn-agent-nats',
      'Deployment/cairn-agent',
    ],
    (objects) => {
      expectCairnService(objects, 'cairn-agent', '8082');
      const config = objects.find((o) => kindAndName(o) === 'ConfigMap/cairn-agent-config');
      expect(config?.data).toMatchObject({
        CAIRN_AGENT_CLUSTER: 'REPLACE-ME',
        CAIRN_NATS_URL: expect.stringMatching(/^(nats|tls):\/\//),
      });
      // In its pod, the agent's access to the cluster is the service account's token.
      expect(config?.data).not.toHaveProperty('CAIRN_AGENT_KUBECONFIG');
      const pod = podSpec(find(objects, 'Deployment', 'cairn-agent'));
      expect(pod.serviceAccountName).toBe('cairn-agent');
      expect(pod.containers[0].envFrom?.[0].configMapRef?.name).toBe(config?.metadata.name);
      // NATS credentials come from a Secret; the control plane's encryption key never
      // reaches a remote cluster.
      const natsSecret = pod.volumes?.find((v) => v.secret);
      expect(natsSecret?.secret?.secretName).toMatch(/^cairn-agent-nats-/);
      // CAIRN_NATS_CREDENTIALS_FILE names the key of that Secret where it is mounted.
      const agent = pod.containers[0];
      const mount = agent.volumeMounts?.find((m) => m.name === natsSecret?.name);
      expect(agent.env?.find((e) => e.name === 'CAIRN_NATS_CREDENTIALS_FILE')?.value).toBe(
        `${mount?.mountPath}/nats.creds`,
      );
      const secret = objects.find((o) => kindAndName(o) === 'Secret/cairn-agent-nats');
      expect(secret?.data).toHaveProperty(['nats.creds']);
      expect(JSON.stringify(objects)).not.toContain('CAIRN_ENCRYPTION_KEY');
    },
  );
});
