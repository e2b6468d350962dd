import { isDnsLabel } from '@cairn/contracts';
import {
  ConfigProblem,
  defineServiceConfig,
  encryptionKeyVariable,
  env,
  MISSING_ENCRYPTION_KEY,
  natsSettings,
  natsVariables,
} from '@cairn/runtime';
import { SecretBox } from '@cairn/secrets';
import { z } from 'zod';

/** Where an agent finds its cluster: a kubeconfig file, or the pod's service account. */
export type AgentKubeconfig = { path: string } | 'in-cluster';

/** A reconciler in agent mode: in its own cluster, with its own credentials for it. */
export interface AgentSettings {
  /** The one cluster it serves; registered at the control plane with mode "agent". */
  cluster: string;
  kubeconfig: AgentKubeconfig;
}

/** What the reconciler reads from its environment, checked once at startup. */
export class ReconcilerConfig extends defineServiceConfig(
  'reconciler',
  {
    CAIRN_RECONCILER_HOST: env.host('0.0.0.0'),
    CAIRN_RECONCILER_PORT: env.port(8082),
    ...natsVariables(),
    // Required, except in agent mode, where it must not be given (see agentSettings).
    CAIRN_ENCRYPTION_KEY: encryptionKeyVariable({ optional: true }),
    // Cluster names become NATS subject tokens, hence the DNS-1123 label rule.
    CAIRN_CLUSTERS: env.list('cluster names (DNS-1123 labels)', isDnsLabel),
    CAIRN_AGENT_CLUSTER: env.optionalName('a cluster name (a DNS-1123 label)', isDnsLabel),
    CAIRN_AGENT_KUBECONFIG: env.optionalPath(),
    // Set by Kubernetes in every pod: where the in-cluster configuration points.
    KUBERNETES_SERVICE_HOST: z.string().optional(),
    CAIRN_RESYNC_SECONDS: env.integer(600, { min: 1 }),
  },
  (vars) => {
    const nats = natsSettings(vars);
    const agent = agentSettings(vars);
    return {
      http: { host: vars.CAIRN_RECONCILER_HOST, port: vars.CAIRN_RECONCILER_PORT },
      natsServers: nats.servers,
      /** Root of every subject, stream and bucket (`new Topology(natsPrefix)`). */
      natsPrefix: nats.prefix,
      /** Who this process is to NATS (CAIRN_NATS_CREDENTIALS_FILE, _USER/_PASSWORD or _TOKEN). */
      natsAuth: nats.auth,
      /**
       * Opens the sealed cluster credentials of the registry; holds the key, never log it.
       * Undefined in agent mode, which opens none.
       */
      secretBox: vars.CAIRN_ENCRYPTION_KEY
        ? SecretBox.fromBase64Key(vars.CAIRN_ENCRYPTION_KEY)
        : undefined,
      /**
       * The clusters this process runs workers for; empty when CAIRN_CLUSTERS is unset, which
       * means every registered cluster in `direct` mode. An agent's own cluster in agent mode.
       */
      clusters: agent ? [agent.cluster] : vars.CAIRN_CLUSTERS,
      /** Set in agent mode (CAIRN_AGENT_CLUSTER): one cluster, reached with its own credentials. */
      agent,
      /**
       * How often every app is compared again with the live cache, which is kept by watches:
       * a safety net for anything a watch event did not set off (a revert held back, a failed
       * prune to retry). It asks nothing of the API server.
       */
      resyncSeconds: vars.CAIRN_RESYNC_SECONDS,
    };
  },
) {}

interface ModeVariables {
  CAIRN_ENCRYPTION_KEY?: string;
  CAIRN_CLUSTERS: string[];
  CAIRN_AGENT_CLUSTER?: string;
  CAIRN_AGENT_KUBECONFIG?: string;
  KUBERNETES_SERVICE_HOST?: string;
}

/**
 * Agent mode, when CAIRN_AGENT_CLUSTER names a cluster. An agent never holds the
 * encryption key: it opens no sealed credentials, and a remote cluster should not hold the
 * key that seals every other cluster's.
 */
function agentSettings(vars: ModeVariables): AgentSettings | undefined {
  const cluster = vars.CAIRN_AGENT_CLUSTER;
  const problems: string[] = [];
  if (cluster === undefined) {
    if (!vars.CAIRN_ENCRYPTION_KEY)
      problems.push(
        `CAIRN_ENCRYPTION_KEY: ${MISSING_ENCRYPTION_KEY} (only an agent, CAIRN_AGENT_CLUSTER, runs without it)`,
      );
    if (vars.CAIRN_AGENT_KUBECONFIG)
      problems.push(
        'CAIRN_AGENT_KUBECONFIG: only an agent reads it; set CAIRN_AGENT_CLUSTER to the cluster it is for',
      );
    if (problems.length > 0) throw new ConfigProblem(...problems);
    return undefined;
  }
  if (vars.CAIRN_ENCRYPTION_KEY)
    problems.push(
      "CAIRN_ENCRYPTION_KEY: an agent opens no sealed credentials and must not hold the key that seals every cluster's; remove it from the agent's environment",
    );
  if (vars.CAIRN_CLUSTERS.length > 0)
    problems.push(
      `CAIRN_CLUSTERS: an agent serves only its own cluster (CAIRN_AGENT_CLUSTER=${cluster}); unset CAIRN_CLUSTERS`,
    );
  if (!vars.CAIRN_AGENT_KUBECONFIG && !vars.KUBERNETES_SERVICE_HOST)
    problems.push(
      `CAIRN_AGENT_KUBECONFIG: expected the path of a kubeconfig for cluster "${cluster}", it is not set and this is not a Kubernetes pod (KUBERNETES_SERVICE_HOST is unset) whose service account could be used`,
    );
  if (problems.length > 0) throw new ConfigProblem(...problems);
  return {
    cluster,
    kubeconfig: vars.CAIRN_AGENT_KUBECONFIG ? { path: vars.CAIRN_AGENT_KUBECONFIG } : 'in-cluster',
  };
}
