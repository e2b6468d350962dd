import { KubeConfig } from '@kubernetes/client-node';
import { parse } from 'yaml';
import { loadKubeConfig } from './kubeconfig';

/**
 * How to reach a registered cluster, in the shape the api stores it (ClusterCredentials of
 * @cairn/contracts, declared structurally here so this library does not depend on it).
 */
export type ClusterAccess =
  | { kubeconfig: string }
  | {
      server: string;
      bearerToken?: string;
      username?: string;
      password?: string;
      tlsClientConfig?: {
        caData?: string;
        certData?: string;
        keyData?: string;
        insecure?: boolean;
        serverName?: string;
      };
    };

/** Kubeconfig keys that make the client read a file of the machine Cairn runs on. */
const FILE_KEYS = {
  cluster: ['certificate-authority'],
  user: ['client-certificate', 'client-key', 'token-file', 'tokenFile'],
} as const;

/**
 * The KubeConfig of a registered cluster. Whoever registered it chose these credentials, so
 * nothing in them may run a program (exec plugins, auth providers) or read a local file
 * (`token-file` would hand over the reconciler's own service account token). Errors name the
 * cluster and never repeat the credentials.
 */
export function kubeConfigFromCredentials(cluster: string, access: ClusterAccess): KubeConfig {
  if ('kubeconfig' in access) {
    refuseFileReferences(cluster, access.kubeconfig);
    try {
      return loadKubeConfig({ text: access.kubeconfig });
    } catch (error) {
      throw new Error(`cluster "${cluster}": ${firstLine(error)}`);
    }
  }
  const tls = access.tlsClientConfig ?? {};
  if (Boolean(tls.certData) !== Boolean(tls.keyData))
    throw new Error(
      `cluster "${cluster}": tlsClientConfig needs both certData and keyData for a client certificate`,
    );
  const kc = new KubeConfig();
  kc.loadFromClusterAndUser(
    {
      name: cluster,
      server: access.server,
      caData: tls.caData,
      skipTLSVerify: tls.insecure ?? false,
      tlsServerName: tls.serverName,
    },
    {
      name: `${cluster}-cairn`,
      token: access.bearerToken,
      username: access.username,
      password: access.password,
      certData: tls.certData,
      keyData: tls.keyData,
    },
  );
  return kc;
}

function refuseFileReferences(cluster: string, text: string): void {
  let document: unknown;
  try {
    document = parse(text);
  } catch (error) {
    // Parser messages quote the offending lines, which may hold a token: keep the first line.
    throw new Error(`cluster "${cluster}": kubeconfig is not valid YAML: ${firstLine(error)}`);
  }
  const config = (document ?? {}) as Record<string, unknown>;
  for (const [section, keys] of [
    ['clusters', FILE_KEYS.cluster],
    ['users', FILE_KEYS.user],
  ] as const) {
    const entries = Array.isArray(config[section]) ? (config[section] as unknown[]) : [];
    for (const entry of entries) {
      const { name, cluster: c, user: u } = (entry ?? {}) as Record<string, unknown>;
      const body = ((section === 'clusters' ? c : u) ?? {}) as Record<string, unknown>;
      const key = keys.find((k) => body[k] !== undefined);
      if (key)
        throw new Error(
          `cluster "${cluster}": kubeconfig ${section.slice(0, -1)} "${String(name)}" reads the local file named by "${key}"; embed it instead (the *-data fields, or token)`,
        );
    }
  }
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0].trim();
}
