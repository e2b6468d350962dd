import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { stringify } from 'yaml';
import type { ClusterLayout } from './layout';

/** The user Cairn's own components authenticate as in tests, and the only one audited. */
export const CAIRN_USER = 'cairn';

/**
 * Logs every request of user `cairn` at Metadata level (verb, resource, user, times; no
 * bodies, so no Secret data) and nothing else: tests count what Cairn asks of the API
 * server (e.g. "no get or list in steady state, watches only") without the noise of the
 * controllers.
 */
const AUDIT_POLICY = {
  apiVersion: 'audit.k8s.io/v1',
  kind: 'Policy',
  omitStages: ['RequestReceived'],
  rules: [{ level: 'Metadata', users: [CAIRN_USER] }, { level: 'None' }],
};

/** The kube-apiserver flags that authenticate `cairn` by a static token and audit its requests. */
export function cairnUserFlags(layout: ClusterLayout): string[] {
  return [
    `--token-auth-file=${layout.tokens}`,
    `--audit-policy-file=${layout.auditPolicy}`,
    `--audit-log-path=${layout.auditLog}`,
    '--audit-log-format=json',
    // Written before the response is sent: a test reads the log right after its requests.
    '--audit-log-mode=blocking',
    // A long-lived dev cluster must not fill the disk: one rotation of 100 MB at most.
    '--audit-log-maxsize=100',
    '--audit-log-maxbackup=1',
  ];
}

/** Writes the token file and audit policy the flags name; returns the token. */
export function writeCairnUserFiles(layout: ClusterLayout): string {
  const token = randomBytes(24).toString('hex');
  // token,user,uid,"groups": a cluster admin, like the admin certificate, but audited.
  writeFileSync(layout.tokens, `${token},${CAIRN_USER},${CAIRN_USER},"system:masters"\n`, {
    mode: 0o600,
  });
  writeFileSync(layout.auditPolicy, stringify(AUDIT_POLICY));
  return token;
}

/** A kubeconfig next to the admin one that authenticates as `cairn` with its token. */
export function writeCairnKubeconfig(
  layout: ClusterLayout,
  opts: { name: string; server: string; caCert: string; token: string },
): void {
  const user = `${opts.name}-${CAIRN_USER}`;
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name: opts.name,
        cluster: {
          server: opts.server,
          'certificate-authority-data': readFileSync(opts.caCert).toString('base64'),
        },
      },
    ],
    users: [{ name: user, user: { token: opts.token } }],
    contexts: [{ name: opts.name, context: { cluster: opts.name, user } }],
    'current-context': opts.name,
  };
  writeFileSync(layout.cairnKubeconfig, stringify(config), { mode: 0o600 });
}

/**
 * The cairn kubeconfig and audit log of the local cluster whose admin kubeconfig this is:
 * they sit in the same folder (what a test gets as testInfra().kubeconfigPath).
 */
export function auditedAccessNextTo(adminKubeconfigPath: string): {
  cairnKubeconfigPath: string;
  auditLogPath: string;
} {
  const dir = dirname(adminKubeconfigPath);
  return {
    cairnKubeconfigPath: join(dir, 'cairn.kubeconfig'),
    auditLogPath: join(dir, 'audit.log'),
  };
}
