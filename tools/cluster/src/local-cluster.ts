import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AdminClient } from './admin-client';
import type { Binaries } from './binaries';
import { cairnUserFlags, writeCairnKubeconfig, writeCairnUserFiles } from './cairn-user';
import { writeKubeconfig } from './kubeconfig';
import { type ClusterLayout, clusterLayout } from './layout';
import { createPki, pkiFiles } from './pki';
import { freePorts } from './ports';
import {
  isRunning,
  recordedProcesses,
  residentBytes,
  restartComponent,
  signalComponent,
  startComponent,
  stopComponent,
  stopComponents,
} from './processes';

/** Start order; stop runs it backwards so etcd goes last. */
const START_ORDER = [
  'etcd',
  'kube-apiserver',
  'kube-controller-manager',
  'kube-scheduler',
  'kwok',
] as const;
const STOP_ORDER = [...START_ORDER].reverse();

/** The one node kwok plays in every local cluster. */
export const FAKE_NODE = 'kwok-node-0';

export interface LocalCluster {
  name: string;
  server: string;
  /** Authenticates as cluster admin (client certificate); not audited. */
  kubeconfigPath: string;
  /** Authenticates as user `cairn` (a cluster admin too), whose every request is audited. */
  cairnKubeconfigPath: string;
  /** JSON lines, one per request of user `cairn` (Metadata level). */
  auditLogPath: string;
  startedAt: string;
}

export interface ComponentStatus {
  component: string;
  pid: number;
  running: boolean;
  residentBytes: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor(
  what: string,
  layout: ClusterLayout,
  component: string,
  check: () => Promise<boolean>,
  timeoutMs = 60_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    const proc = recordedProcesses(layout).find((p) => p.component === component);
    if (proc && !isRunning(proc.pid, proc.binary)) break;
    await sleep(200);
  }
  const logFile = join(layout.logs, `${component}.log`);
  const tail = existsSync(logFile)
    ? readFileSync(logFile, 'utf8').split('\n').slice(-15).join('\n')
    : '';
  throw new Error(
    `cluster ${layout.dir}: ${what} did not happen in time; last lines of ${logFile}:\n${tail}`,
  );
}

function readState(layout: ClusterLayout): LocalCluster | undefined {
  if (!existsSync(layout.state)) return undefined;
  const state = JSON.parse(readFileSync(layout.state, 'utf8')) as LocalCluster;
  // Recorded by a build before the cairn user: the paths are known, the files may be missing.
  return { ...state, cairnKubeconfigPath: layout.cairnKubeconfig, auditLogPath: layout.auditLog };
}

/** Status of each component of a cluster, with its memory. */
export function componentStatus(name: string): ComponentStatus[] {
  return recordedProcesses(clusterLayout(name)).map((p) => {
    const running = isRunning(p.pid, p.binary);
    return {
      component: p.component,
      pid: p.pid,
      running,
      residentBytes: running ? residentBytes(p.pid) : 0,
    };
  });
}

function isHealthy(name: string): boolean {
  const status = componentStatus(name);
  return status.length === START_ORDER.length && status.every((c) => c.running);
}

/**
 * Starts one real cluster: etcd, kube-apiserver, kube-controller-manager, kube-scheduler
 * and kwok (which plays a Ready node and makes scheduled pods Running and Ready). Returns
 * once the API server is ready, the node is Ready and the default service account exists,
 * i.e. once a Deployment can roll out. A cluster that is already up is returned as is.
 */
export async function startLocalCluster(name: string, bin: Binaries): Promise<LocalCluster> {
  const layout = clusterLayout(name);
  const existing = readState(layout);
  if (existing && isHealthy(name)) return existing;
  await stopComponents(layout, STOP_ORDER);
  rmSync(layout.dir, { recursive: true, force: true });
  try {
    return await bootCluster(name, layout, bin);
  } catch (err) {
    // Leave nothing running; keep the folder, whose logs say what went wrong.
    await stopComponents(layout, STOP_ORDER);
    throw err;
  }
}

async function bootCluster(
  name: string,
  layout: ClusterLayout,
  bin: Binaries,
): Promise<LocalCluster> {
  for (const dir of [layout.dir, layout.logs, layout.pids]) mkdirSync(dir, { recursive: true });

  const pki = createPki(layout.pki);
  const cairnToken = writeCairnUserFiles(layout);
  const [etcdClient, etcdPeer, apiPort, cmPort, schedPort, kwokPort] = await freePorts(6);
  const server = `https://127.0.0.1:${apiPort}`;
  const admin = new AdminClient({
    server,
    caCert: pki.caCert,
    clientCert: pki.adminCert,
    clientKey: pki.adminKey,
  });

  startComponent(layout, 'etcd', bin.etcd, [
    `--name=${name}`,
    `--data-dir=${layout.etcdData}`,
    `--listen-client-urls=http://127.0.0.1:${etcdClient}`,
    `--advertise-client-urls=http://127.0.0.1:${etcdClient}`,
    `--listen-peer-urls=http://127.0.0.1:${etcdPeer}`,
    `--initial-advertise-peer-urls=http://127.0.0.1:${etcdPeer}`,
    `--initial-cluster=${name}=http://127.0.0.1:${etcdPeer}`,
    '--log-level=warn',
    // A throwaway test cluster: losing the last writes on a power cut is fine, and
    // skipping fsync makes every write several times faster.
    '--unsafe-no-fsync',
  ]);
  await waitFor('etcd health', layout, 'etcd', async () => {
    try {
      const res = await fetch(`http://127.0.0.1:${etcdClient}/health`);
      return res.ok && ((await res.json()) as { health: string }).health === 'true';
    } catch {
      return false;
    }
  });

  startComponent(layout, 'kube-apiserver', bin['kube-apiserver'], [
    `--etcd-servers=http://127.0.0.1:${etcdClient}`,
    '--bind-address=127.0.0.1',
    '--advertise-address=127.0.0.1',
    // The endpoint reconciler refuses a loopback address; nothing in these clusters
    // needs the kubernetes Service's endpoints (kwok runs no containers).
    '--endpoint-reconciler-type=none',
    `--secure-port=${apiPort}`,
    `--tls-cert-file=${pki.servingCert}`,
    `--tls-private-key-file=${pki.servingKey}`,
    `--client-ca-file=${pki.caCert}`,
    `--service-account-key-file=${pki.serviceAccountPub}`,
    `--service-account-signing-key-file=${pki.serviceAccountKey}`,
    '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
    '--service-cluster-ip-range=10.96.0.0/16',
    '--authorization-mode=RBAC',
    '--allow-privileged=true',
    `--cert-dir=${join(layout.dir, 'apiserver-certs')}`,
    ...cairnUserFlags(layout),
  ]);
  await waitFor('API server readiness', layout, 'kube-apiserver', async () => {
    try {
      const res = await admin.send('GET', '/readyz');
      return res.status === 200;
    } catch {
      return false;
    }
  });
  writeKubeconfig(layout.kubeconfig, {
    name,
    server,
    caCert: pki.caCert,
    clientCert: pki.adminCert,
    clientKey: pki.adminKey,
  });
  writeCairnKubeconfig(layout, { name, server, caCert: pki.caCert, token: cairnToken });

  startComponent(layout, 'kube-controller-manager', bin['kube-controller-manager'], [
    `--kubeconfig=${layout.kubeconfig}`,
    `--authentication-kubeconfig=${layout.kubeconfig}`,
    `--authorization-kubeconfig=${layout.kubeconfig}`,
    '--bind-address=127.0.0.1',
    `--secure-port=${cmPort}`,
    `--service-account-private-key-file=${pki.serviceAccountKey}`,
    `--root-ca-file=${pki.caCert}`,
    `--cluster-signing-cert-file=${pki.caCert}`,
    `--cluster-signing-key-file=${pki.caKey}`,
    '--use-service-account-credentials=true',
    '--leader-elect=false',
    // The node lifecycle controller marks every pod of a node whose heartbeat is late
    // NotReady, and kwok never marks them Ready again: on a loaded 2-core machine, or
    // while a test has stopped the API server, a late lease must not strand Deployments.
    '--node-monitor-grace-period=10m',
    // Its client's default (20 requests/s) lets a few hundred Deployments applied at once
    // (bench/scale) wait a minute or more for their ReplicaSets and pods: not Cairn's delay.
    '--kube-api-qps=200',
    '--kube-api-burst=400',
  ]);
  startComponent(layout, 'kube-scheduler', bin['kube-scheduler'], [
    `--kubeconfig=${layout.kubeconfig}`,
    `--authentication-kubeconfig=${layout.kubeconfig}`,
    `--authorization-kubeconfig=${layout.kubeconfig}`,
    '--bind-address=127.0.0.1',
    `--secure-port=${schedPort}`,
    '--leader-elect=false',
  ]);
  startComponent(layout, 'kwok', bin.kwok, [
    `--kubeconfig=${layout.kubeconfig}`,
    `--config=${bin.kwokStages}`,
    '--manage-all-nodes=false',
    '--manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake',
    '--manage-nodes-with-label-selector=',
    // A node Lease renewed by kwok, as a kubelet would, is the heartbeat the node lifecycle
    // controller reads; without it the node flaps NotReady every grace period.
    '--node-lease-duration-seconds=40',
    '--cidr=10.0.0.1/24',
    '--node-ip=10.0.0.1',
    // The heartbeat stage renews the node's lease; without a lease the node lifecycle
    // controller finds the node's status too old every minute, marks it NotReady and its
    // pods not ready, and Deployments that were Healthy turn Progressing for no reason.
    '--node-lease-duration-seconds=40',
    `--server-address=127.0.0.1:${kwokPort}`,
  ]);

  const node = {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: FAKE_NODE,
      annotations: { 'kwok.x-k8s.io/node': 'fake', 'node.alpha.kubernetes.io/ttl': '0' },
      labels: { type: 'kwok', 'kubernetes.io/hostname': FAKE_NODE, 'kubernetes.io/os': 'linux' },
    },
    status: {
      allocatable: { cpu: '64', memory: '256Gi', pods: '1000' },
      capacity: { cpu: '64', memory: '256Gi', pods: '1000' },
    },
  };
  const created = await admin.send('POST', '/api/v1/nodes', node);
  if (created.status !== 201 && created.status !== 409) {
    throw new Error(
      `cluster ${name}: creating node ${FAKE_NODE} failed: ${created.status} ${created.body}`,
    );
  }
  type Node = { status?: { conditions?: Array<{ type: string; status: string }> } };
  await waitFor(`node ${FAKE_NODE} Ready`, layout, 'kwok', async () => {
    const n = await admin.get<Node>(`/api/v1/nodes/${FAKE_NODE}`);
    return !!n?.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True');
  });
  await waitFor(
    'the default service account',
    layout,
    'kube-controller-manager',
    async () => !!(await admin.get('/api/v1/namespaces/default/serviceaccounts/default')),
  );

  const cluster: LocalCluster = {
    name,
    server,
    kubeconfigPath: layout.kubeconfig,
    cairnKubeconfigPath: layout.cairnKubeconfig,
    auditLogPath: layout.auditLog,
    startedAt: new Date().toISOString(),
  };
  writeFileSync(layout.state, JSON.stringify(cluster, null, 2));
  return cluster;
}

/**
 * Stops only the cluster's API server, as an outage would: clients get refused connections,
 * while etcd keeps every object and the other components wait for it. SIGTERM lets it close
 * its connections; SIGKILL cuts them, as a crash or a lost network would.
 */
export async function stopApiServer(
  name: string,
  opts: { signal?: 'SIGTERM' | 'SIGKILL' } = {},
): Promise<void> {
  await stopComponent(clusterLayout(name), 'kube-apiserver', opts);
}

/**
 * Starts the API server stopped by stopApiServer again, with the same flags, port and
 * certificates, and resolves once it is ready (GET /readyz answers 200).
 */
export async function startApiServer(name: string): Promise<void> {
  const layout = clusterLayout(name);
  const state = readState(layout);
  if (!state) throw new Error(`cluster ${name} was not started (no ${layout.state})`);
  restartComponent(layout, 'kube-apiserver');
  const pki = pkiFiles(layout.pki);
  const admin = new AdminClient({
    server: state.server,
    caCert: pki.caCert,
    clientCert: pki.adminCert,
    clientKey: pki.adminKey,
  });
  await waitFor('API server readiness after a restart', layout, 'kube-apiserver', async () => {
    try {
      return (await admin.send('GET', '/readyz')).status === 200;
    } catch {
      return false;
    }
  });
}

/**
 * Freezes the API server (SIGSTOP), as a hung server is: the kernel still accepts
 * connections, and nothing answers on them. resumeApiServer thaws it.
 */
export function pauseApiServer(name: string): void {
  signalComponent(clusterLayout(name), 'kube-apiserver', 'SIGSTOP');
}

export function resumeApiServer(name: string): void {
  signalComponent(clusterLayout(name), 'kube-apiserver', 'SIGCONT');
}

/** Stops every process of the cluster and removes its state. */
export async function stopLocalCluster(name: string): Promise<void> {
  const layout = clusterLayout(name);
  await stopComponents(layout, STOP_ORDER);
  rmSync(layout.dir, { recursive: true, force: true });
}
