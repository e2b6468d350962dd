import { ClusterCredentials, type ClusterRegistration } from '@cairn/contracts';
import { kubeConfigFromCredentials } from '@cairn/kube';
import type { SecretBox } from '@cairn/secrets';
import { KubeConfig } from '@kubernetes/client-node';

/**
 * The KubeConfig a worker uses for its cluster: from the sealed credentials the api
 * registered, or, for a cluster in agent mode with none, the service account of the pod
 * this reconciler runs in. Errors name the cluster and never hold a credential.
 */
export function clusterKubeConfig(
  registration: ClusterRegistration,
  secrets: SecretBox,
): KubeConfig {
  const { name } = registration;
  if (registration.credentialsSealed) {
    const text = secrets.open(registration.credentialsSealed);
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      // JSON.parse quotes the text it failed on; the text is a credential.
      throw new Error(`cluster "${name}": its sealed credentials are not JSON; register it again`);
    }
    const credentials = ClusterCredentials.safeParse(json);
    if (!credentials.success)
      throw new Error(
        `cluster "${name}": its credentials give neither a kubeconfig nor a server (${credentials.error.issues.map((i) => i.path.join('.') || 'credentials').join(', ')}); register it again`,
      );
    return kubeConfigFromCredentials(name, credentials.data);
  }
  if (registration.mode === 'agent') {
    if (!process.env.KUBERNETES_SERVICE_HOST)
      throw new Error(
        `cluster "${name}" is in agent mode: run this reconciler inside it (CAIRN_CLUSTERS=${name}), where its service account is`,
      );
    const kc = new KubeConfig();
    kc.loadFromCluster();
    return kc;
  }
  throw new Error(
    `cluster "${name}" has no credentials: register it with a kubeconfig, or a server and token`,
  );
}
