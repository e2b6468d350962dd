/**
 * Agent mode, end to end: a reconciler that runs with its own kubeconfig for one cluster,
 * reaches the control plane through NATS alone, as a NATS user allowed only that cluster's
 * subjects (agentNatsPermissions), and holds no encryption key. The control plane (api and
 * repo-poller, built, as a user runs them) and the agent share a NATS server of the test's
 * own, since the machine's shared server asks nobody for credentials.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isSyncedAndHealthy } from '@cairn/client';
import { freePorts, workspaceRoot } from '@cairn/cluster';
import {
  agentInboxPrefix,
  agentNatsPermissions,
  encode,
  DesiredState,
  Topology,
} from '@cairn/contracts';
import { ClusterClient, type KubeObject, loadKubeConfig } from '@cairn/kube';
import { connectNats } from '@cairn/nats';
import { Registry } from '@cairn/registry';
import { serviceEntry, waitUntilReady } from '@cairn/stack';
import {
  type CairnUnderTest,
  createRepository,
  createTestNamespace,
  NatsServer,
  startCairn,
  testInfra,
  uniqueName,
  WorkingCopy,
} from '@cairn/testing';
import { jetstream } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/transport-node';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';

const POLL_SECONDS = 2;

const manifests = (greeting: string) => ({
  'apps/web/configmap.yaml': `apiVersion: v1
kind: ConfigMap
metadata:
  name: web-settings
data:
  greeting: ${JSON.stringify(greeting)}
`,
  'apps/web/deployment.yaml': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 1
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
});

describe('a cluster in agent mode', () => {
  const cluster = uniqueName('edge');
  const otherCluster = uniqueName('other');
  const app = uniqueName('web');
  const agentUser = `agent-${cluster}`;
  const topology = new Topology(`${testInfra().natsPrefix}_agent`);
  const admin = new ClusterClient(loadKubeConfig({ path: testInfra().kubeconfigPath }));
  let nats: NatsServer;
  let cut: CairnUnderTest;
  let namespace: Awaited<ReturnType<typeof createTestNamespace>>;
  let work: WorkingCopy;
  let commit: string;
  let agentDir: string;
  let agentRbac: KubeObject[] = [];
  let agent: ChildProcess | undefined;
  let agentLog = '';
  let agentEnv: Record<string, string>;
  /** Objects the agent applied; read with the test's admin credentials. */
  const configMap = () =>
    admin.read<{ data?: Record<string, string> }>({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'web-settings', namespace: namespace.name },
    });

  beforeAll(async () => {
    nats = await NatsServer.start([
      { user: 'control' },
      // The agent authenticates as the k8s/agent manifests have it: a credentials file.
      { user: agentUser, nkey: true, permissions: agentNatsPermissions(topology, cluster) },
    ]);
    const control = nats.user('control');
    cut = await startCairn(
      { ...testInfra(), natsUrl: nats.url },
      {
        pollIntervalSeconds: POLL_SECONDS,
        services: ['api', 'repo-poller'],
        natsPrefix: topology.root,
        env: { CAIRN_NATS_USER: control.user, CAIRN_NATS_PASSWORD: control.password },
      },
    );

    // Given: a repository with a web app, and a namespace for it in the agent's cluster.
    namespace = await createTestNamespace('agent');
    const repoUrl = await createRepository(cut.git, uniqueName('apps'));
    work = await WorkingCopy.clone(repoUrl);
    await work.writeFiles(manifests('hello from git'));
    commit = await work.commit('web');
    await work.push();

    // The agent's own credentials: a service account with k8s/agent's ClusterRole, and a
    // token for it, as a pod of that service account would have.
    agentDir = await mkdtemp(join(tmpdir(), 'cairn-agent-'));
    agentRbac = await grantAgentRole(admin, namespace.name);
    await writeFile(
      join(agentDir, 'kubeconfig'),
      await serviceAccountKubeconfig(admin, namespace.name, testInfra().kubeconfigPath),
    );

    // When: the cluster is registered in agent mode, an app is pointed at it, and the
    // agent starts in it with its own kubeconfig and its NATS user.
    await cut.cairn.createCluster({ name: cluster, mode: 'agent' });
    await cut.cairn.createCluster({
      name: otherCluster,
      kubeconfig: await readFile(testInfra().kubeconfigPath, 'utf8'),
    });
    await cut.cairn.createRepository({ url: repoUrl, pollIntervalSeconds: POLL_SECONDS });
    await cut.cairn.createApplication({
      metadata: { name: app },
      spec: {
        source: { repoURL: repoUrl, path: 'apps/web', targetRevision: 'main' },
        destination: { name: cluster, namespace: namespace.name },
        syncPolicy: { automated: { prune: true, selfHeal: true } },
      },
    });
    const [port] = await freePorts(1);
    agentEnv = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      CAIRN_AGENT_CLUSTER: cluster,
      CAIRN_AGENT_KUBECONFIG: join(agentDir, 'kubeconfig'),
      CAIRN_NATS_URL: nats.url,
      CAIRN_NATS_PREFIX: topology.root,
      CAIRN_NATS_CREDENTIALS_FILE: nats.user(agentUser).credentialsFile as string,
      CAIRN_RECONCILER_HOST: '127.0.0.1',
      CAIRN_RECONCILER_PORT: String(port),
      CAIRN_LOG_LEVEL: 'debug',
    };
    // Its environment is exactly this: nothing inherited, no CAIRN_ENCRYPTION_KEY.
    agent = spawn(process.execPath, [serviceEntry('reconciler')], {
      cwd: workspaceRoot(),
      env: agentEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    agent.stdout?.on('data', (chunk: Buffer) => (agentLog += chunk.toString()));
    agent.stderr?.on('data', (chunk: Buffer) => (agentLog += chunk.toString()));
    const process_ = agent;
    await waitUntilReady(
      'agent',
      `http://127.0.0.1:${port}`,
      () => process_.exitCode === null && process_.signalCode === null,
    ).catch((error: Error) => {
      throw new Error(`${error.message}\n${agentLog.slice(-4000)}`);
    });
  });

  afterAll(async () => {
    if (agent && agent.exitCode === null) {
      const exited = new Promise((resolve) => agent?.once('exit', resolve));
      agent.kill('SIGTERM');
      await exited;
    }
    for (const object of agentRbac) await admin.delete(object).catch(() => undefined);
    await work?.dispose();
    await namespace?.delete();
    await cut?.stop();
    await nats?.stop();
    if (agentDir) await rm(agentDir, { recursive: true, force: true });
  });

  it('starts without CAIRN_ENCRYPTION_KEY, and is ready once it serves its cluster', async () => {
    expect(agentEnv).not.toHaveProperty('CAIRN_ENCRYPTION_KEY');
    const readyz = await fetch(`http://127.0.0.1:${agentEnv.CAIRN_RECONCILER_PORT}/readyz`);
    expect(readyz.status).toBe(200);
    expect(JSON.stringify(await readyz.json())).toContain('cluster');
  });

  it('syncs the app: its objects are in the cluster, and the control plane sees it Synced and Healthy', async () => {
    const view = await cut.cairn.waitForApplication(
      app,
      (a) => isSyncedAndHealthy(a, commit),
      90_000,
    );
    expect(view.status.sync.revision).toBe(commit);
    expect((await configMap())?.data).toEqual({ greeting: 'hello from git' });
    const deployment = await admin.read({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: namespace.name },
    });
    expect(deployment?.metadata.labels).toMatchObject({ 'cairn.dev/app': app });

    // The api's diff request reaches the agent, which answers it: nothing differs from git.
    const diff = await cut.cairn.request('GET', `/applications/${app}/diff`);
    expect(diff).toEqual({ app, cluster, revision: commit, resources: [] });

    // Everything it did, it did within its permissions.
    expect(violations()).toEqual([]);
  });

  it('stores no Kubernetes credential of the cluster anywhere in the control plane', async () => {
    const secrets = await kubernetesSecrets(join(agentDir, 'kubeconfig'));
    const db = new Client({ connectionString: cut.settings.databaseUrl });
    await db.connect();
    try {
      const { rows } = await db.query('SELECT * FROM clusters WHERE name = $1', [cluster]);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ mode: 'agent', server: null, credentials_ciphertext: null });
      const row = JSON.stringify(rows[0]);
      for (const secret of secrets) expect(row).not.toContain(secret);
    } finally {
      await db.end();
    }

    const nc = await controlConnection();
    try {
      const kv = await new Kvm(nc).open(topology.buckets.clusters());
      const entry = await kv.get(cluster);
      // All that the other services learn of the cluster: its name and mode.
      expect(JSON.parse(entry?.string() ?? 'null')).toEqual({
        v: 1,
        name: cluster,
        mode: 'agent',
        updatedAt: expect.any(String),
      });
      for (const secret of secrets) expect(entry?.string()).not.toContain(secret);
    } finally {
      await nc.close();
    }

    const shown = await cut.cairn.request<Record<string, unknown>>('GET', `/clusters/${cluster}`);
    for (const secret of secrets) expect(JSON.stringify(shown)).not.toContain(secret);
  });

  it("cannot publish or subscribe to another cluster's subjects, nor read its registration", async () => {
    const nc = await connectNats({
      url: nats.url,
      name: 'agent-credentials-test',
      auth: { credentialsFile: nats.user(agentUser).credentialsFile },
      inboxPrefix: agentInboxPrefix(topology, cluster),
    });
    try {
      // Publish: a desired state for another cluster's app is refused by the server.
      const forged: DesiredState = {
        v: 1,
        app,
        revision: 'a'.repeat(40),
        bundleDigest: `sha256:${'0'.repeat(64)}`,
        reason: 'forged',
      };
      await expect(
        jetstream(nc).publish(
          topology.subjects.desired(otherCluster, app),
          encode(DesiredState, forged),
        ),
      ).rejects.toThrow(
        `Permissions Violation for Publish to "${topology.subjects.desired(otherCluster, app)}"`,
      );
      await expect(
        jetstream(nc).publish(topology.subjects.status(otherCluster, app), new Uint8Array()),
      ).rejects.toThrow('Permissions Violation for Publish');

      // Subscribe: another cluster's commands and events are refused.
      for (const subject of [
        topology.subjects.filter('cmd', otherCluster),
        topology.subjects.filter('events', otherCluster),
      ]) {
        const subscription = nc.subscribe(subject);
        await expect(
          (async () => {
            for await (const message of subscription) return message;
          })(),
        ).rejects.toThrow(`Permissions Violation for Subscription to "${subject}"`);
      }

      // Another cluster's registration (with its sealed credentials) is not its to read.
      await expect(Registry.openForAgent(nc, topology, otherCluster)).rejects.toThrow(
        'Permissions Violation for Publish',
      );
    } finally {
      await nc.close();
    }
    // The server logs each refusal, naming the agent (by its NKey) and the subject.
    const refused = (kind: string, subject: string) =>
      violations().filter(
        (line) =>
          line.includes(`${kind} Violation - `) &&
          line.includes(`"${nats.user(agentUser).id}", Subject "${subject}"`),
      );
    expect(refused('Publish', topology.subjects.desired(otherCluster, app))).toHaveLength(1);
    expect(refused('Subscription', topology.subjects.filter('cmd', otherCluster))).toHaveLength(1);
  });

  it('deletes the app with its objects when told to, and never logs its NATS credentials', async () => {
    expect(await configMap()).toBeDefined();
    const before = violations().length;
    await cut.cairn.request('DELETE', `/applications/${app}?cascade=true`);
    const deadline = Date.now() + 60_000;
    while ((await configMap()) !== undefined) {
      if (Date.now() > deadline) throw new Error('the ConfigMap was not pruned within 60 s');
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(violations().slice(before)).toEqual([]);
    expect(agentLog).toContain('"worker started"');
    const seed = /^SU[A-Z0-9]+$/m.exec(
      await readFile(nats.user(agentUser).credentialsFile as string, 'utf8'),
    )?.[0];
    expect(seed).toBeDefined();
    expect(agentLog).not.toContain(seed);
  });

  /** The server's permission violations, one line each. */
  function violations(): string[] {
    return nats
      .output()
      .split('\n')
      .filter((line) => line.includes('Violation'));
  }

  function controlConnection(): Promise<NatsConnection> {
    return connectNats({ url: nats.url, name: 'control-test', auth: nats.user('control') });
  }
});

/**
 * A service account in `namespace` bound to k8s/agent's ClusterRole (under a name of the
 * test's own, as ClusterRoles are cluster-wide): exactly the rights the manifests give an
 * agent. Returns what to delete afterwards.
 */
async function grantAgentRole(admin: ClusterClient, namespace: string): Promise<KubeObject[]> {
  const rbac = parseAllDocuments(
    await readFile(join(workspaceRoot(), 'k8s', 'agent', 'rbac.yaml'), 'utf8'),
  ).map((doc) => doc.toJS() as KubeObject);
  const role = rbac.find((o) => o.kind === 'ClusterRole') as KubeObject;
  const objects: KubeObject[] = [
    {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: 'cairn-agent', namespace },
    },
    { ...role, metadata: { name: `${namespace}-agent-deployer` } },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: `${namespace}-agent` },
      roleRef: {
        apiGroup: 'rbac.authorization.k8s.io',
        kind: 'ClusterRole',
        name: `${namespace}-agent-deployer`,
      },
      subjects: [{ kind: 'ServiceAccount', name: 'cairn-agent', namespace }],
    },
  ];
  for (const object of objects) await admin.apply(object);
  return objects.slice(1);
}

/** A kubeconfig holding a token of the agent's service account, and the cluster's CA. */
async function serviceAccountKubeconfig(
  admin: ClusterClient,
  namespace: string,
  adminKubeconfig: string,
): Promise<string> {
  const request = await admin.http.json<{ status: { token: string } }>(
    'POST',
    `/api/v1/namespaces/${namespace}/serviceaccounts/cairn-agent/token`,
    {
      body: {
        apiVersion: 'authentication.k8s.io/v1',
        kind: 'TokenRequest',
        spec: { expirationSeconds: 3600 },
      },
    },
  );
  const cluster = loadKubeConfig({ path: adminKubeconfig }).getCurrentCluster();
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name: 'agent',
        cluster: { server: cluster?.server, 'certificate-authority-data': cluster?.caData },
      },
    ],
    users: [{ name: 'cairn-agent', user: { token: request.status.token } }],
    contexts: [{ name: 'agent', context: { cluster: 'agent', user: 'cairn-agent' } }],
    'current-context': 'agent',
  });
}

/** The secrets a kubeconfig holds: tokens, client keys and certificates. */
async function kubernetesSecrets(path: string): Promise<string[]> {
  const kc = loadKubeConfig({ path });
  return kc
    .getUsers()
    .flatMap((user) => [user.token, user.keyData, user.certData])
    .filter((value): value is string => typeof value === 'string' && value.length > 0);
}
