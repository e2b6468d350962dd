import { existsSync } from 'node:fs';
import type { ClusterRegistration } from '@cairn/contracts';
import { loadKubeConfig } from '@cairn/kube';
import type { SecretBox } from '@cairn/secrets';
import { KubeConfig } from '@kubernetes/client-node';
import type { AgentSettings, ReconcilerConfig } from '../config/reconciler-config';
import { clusterKubeConfig } from './cluster-credentials';

/** Where Kubernetes mounts a pod's service account token and the cluster's CA. */
const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

/**
 * How this process reaches the API server of a cluster it serves. The control plane's
 * reconciler opens the credentials sealed in the cluster's registration; an agent uses
 * its own (a kubeconfig file, or its pod's service account), loaded once at start so
 * that a bad one stops the start, and reads nothing of the registration but its mode.
 */
export abstract class ClusterAccess {
  abstract kubeConfig(registration: ClusterRegistration): KubeConfig;

  static of(config: Pick<ReconcilerConfig, 'agent' | 'secretBox'>): ClusterAccess {
    if (config.agent) return new AgentAccess(config.agent);
    if (!config.secretBox) throw new Error('CAIRN_ENCRYPTION_KEY is required outside agent mode');
    return new SealedCredentialsAccess(config.secretBox);
  }
}

class SealedCredentialsAccess extends ClusterAccess {
  constructor(private readonly secrets: SecretBox) {
    super();
  }

  kubeConfig(registration: ClusterRegistration): KubeConfig {
    return clusterKubeConfig(registration, this.secrets);
  }
}

class AgentAccess extends ClusterAccess {
  private readonly own: KubeConfig;

  constructor(private readonly agent: AgentSettings) {
    super();
    this.own = agentKubeConfig(agent);
  }

  kubeConfig(registration: ClusterRegistration): KubeConfig {
    const { cluster } = this.agent;
    if (registration.name !== cluster)
      throw new Error(`this agent serves cluster "${cluster}" only, not "${registration.name}"`);
    // A direct-mode cluster is served by the control plane's reconciler: two would fight.
    if (registration.mode !== 'agent')
      throw new Error(
        `cluster "${cluster}" is registered in ${registration.mode} mode, so the control plane's reconciler serves it; register it with {"name": "${cluster}", "mode": "agent"} for this agent to`,
      );
    return this.own;
  }
}

/**
 * The agent's kubeconfig. A file the operator mounted is still refused exec plugins and
 * auth providers (loadKubeConfig): they would run programs from the agent's image with its
 * privileges, and a token or client certificate does the same job without.
 */
function agentKubeConfig(agent: AgentSettings): KubeConfig {
  if (agent.kubeconfig === 'in-cluster') {
    for (const file of ['token', 'ca.crt'])
      if (!existsSync(`${SERVICE_ACCOUNT_DIR}/${file}`))
        throw new Error(
          `agent for cluster "${agent.cluster}": no service account ${file} in ${SERVICE_ACCOUNT_DIR}; mount the pod's service account token (automountServiceAccountToken: true) or set CAIRN_AGENT_KUBECONFIG`,
        );
    const kc = new KubeConfig();
    kc.loadFromCluster();
    return kc;
  }
  try {
    return loadKubeConfig({ path: agent.kubeconfig.path });
  } catch (error) {
    // The first line only: a YAML error quotes the lines around it, which may hold a token.
    const reason = (error instanceof Error ? error.message : String(error)).split('\n')[0];
    throw new Error(`CAIRN_AGENT_KUBECONFIG ${agent.kubeconfig.path}: ${reason}`);
  }
}
