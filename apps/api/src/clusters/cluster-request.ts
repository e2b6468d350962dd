import { ClusterName } from '@cairn/contracts';
import { z } from 'zod';

/**
 * POST /clusters takes one of three shapes: Argo CD's {name, server, config}, a kubeconfig
 * ({name, kubeconfig}), or {name, mode: "agent"} for a cluster whose own in-cluster
 * reconciler connects out, so that Cairn holds no credentials for it at all.
 */

const ServerUrl = z.string().refine(isHttpUrl, {
  error: "must be the URL of the cluster's API server, e.g. https://10.0.0.1:6443",
});

const TlsClientConfig = z.object({
  caData: z.string().min(1).optional(),
  certData: z.string().min(1).optional(),
  keyData: z.string().min(1).optional(),
  insecure: z.boolean().optional(),
  serverName: z.string().min(1).optional(),
});

export const DirectClusterRequest = z.object({
  name: ClusterName,
  mode: z.literal('direct').optional(),
  server: ServerUrl,
  config: z
    .object({
      bearerToken: z.string().min(1).optional(),
      username: z.string().min(1).optional(),
      password: z.string().min(1).optional(),
      tlsClientConfig: TlsClientConfig.default({}),
    })
    .refine(
      (c) =>
        (c.tlsClientConfig.certData === undefined) === (c.tlsClientConfig.keyData === undefined),
      {
        error: 'a client certificate needs both certData and keyData',
        path: ['tlsClientConfig'],
      },
    )
    .default({ tlsClientConfig: {} }),
});

export const KubeconfigClusterRequest = z.object({
  name: ClusterName,
  mode: z.literal('direct').optional(),
  kubeconfig: z.string().min(1),
});

export const AgentClusterRequest = z.object({
  name: ClusterName,
  mode: z.literal('agent'),
  /** Shown, and matched by destination.server; never connected to by the control plane. */
  server: ServerUrl.optional(),
});

/** For the OpenAPI document: the three shapes together. */
export const ClusterRequest = z.union([
  DirectClusterRequest,
  KubeconfigClusterRequest,
  AgentClusterRequest,
]);

export type DirectClusterRequest = z.infer<typeof DirectClusterRequest>;
export type KubeconfigClusterRequest = z.infer<typeof KubeconfigClusterRequest>;
export type AgentClusterRequest = z.infer<typeof AgentClusterRequest>;

export type ClusterRequest =
  | ({ shape: 'direct' } & DirectClusterRequest)
  | ({ shape: 'kubeconfig' } & KubeconfigClusterRequest)
  | ({ shape: 'agent' } & AgentClusterRequest);

/** Which shape a body means, so that its errors name the fields of that shape. */
export function clusterShape(body: unknown): ClusterRequest['shape'] {
  const fields = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  if (fields.mode === 'agent') return 'agent';
  if ('kubeconfig' in fields) return 'kubeconfig';
  return 'direct';
}

function isHttpUrl(text: string): boolean {
  try {
    return ['https:', 'http:'].includes(new URL(text).protocol);
  } catch {
    return false;
  }
}
