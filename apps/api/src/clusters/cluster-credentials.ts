import type { ClusterCredentials } from '@cairn/contracts';
import { loadKubeConfig } from '@cairn/kube';
import { badRequest } from '../http/api-errors';
import type { DirectClusterRequest, KubeconfigClusterRequest } from './cluster-request';

/** What a direct cluster registration stores: the server shown, and credentials to seal. */
export interface DirectConnection {
  server: string;
  credentials: ClusterCredentials;
}

export function connectionFromConfig(request: DirectClusterRequest): DirectConnection {
  return {
    server: request.server,
    credentials: { server: request.server, ...request.config },
  };
}

/**
 * Checks a kubeconfig the way the reconciler will load it (no exec plugins, no auth
 * providers) and takes the server from its current context. Errors name `kubeconfig` and
 * never quote it: parser messages carry a snippet of the text, which may hold a token.
 */
export function connectionFromKubeconfig(request: KubeconfigClusterRequest): DirectConnection {
  let server: string | undefined;
  try {
    server = loadKubeConfig({ text: request.kubeconfig }).getCurrentCluster()?.server;
  } catch (error) {
    const firstLine = (error instanceof Error ? error.message : String(error)).split('\n')[0];
    throw badRequest([{ path: 'kubeconfig', reason: firstLine }]);
  }
  if (!server) {
    throw badRequest([
      { path: 'kubeconfig', reason: 'the cluster of its current context has no server' },
    ]);
  }
  return { server, credentials: { kubeconfig: request.kubeconfig } };
}
