import { z } from 'zod';
import { ApplicationSpec } from './application-spec';
import { SchemaVersion1, Timestamp } from './codec';
import { AppName, ClusterName } from './names';

/**
 * What the api mirrors into the registration KV buckets, so the repo-poller and the
 * reconcilers learn every registration (the full set at start, then each change) without
 * reading the database. Credentials travel sealed (SecretBox, AES-256-GCM): whoever reads
 * the bucket without the key learns nothing.
 */

export const RepositoryRegistration = z
  .object({
    v: SchemaVersion1,
    id: z.string().min(1),
    /** As registered; compare with normalizeRepositoryUrl. */
    url: z.string().min(1),
    pollIntervalSeconds: z.number().int().min(1),
    username: z.string().optional(),
    passwordSealed: z.string().optional(),
    webhookSecretSealed: z.string().optional(),
    updatedAt: Timestamp,
  })
  .describe('RepositoryRegistration');

export const CLUSTER_MODES = ['direct', 'agent'] as const;

export const ClusterRegistration = z
  .object({
    v: SchemaVersion1,
    name: ClusterName,
    /** direct: the control plane's reconciler uses the credentials; agent: a reconciler in the cluster does, with its own. */
    mode: z.enum(CLUSTER_MODES),
    server: z.string().optional(),
    /** Sealed JSON of ClusterCredentials; absent in agent mode. */
    credentialsSealed: z.string().optional(),
    updatedAt: Timestamp,
  })
  .describe('ClusterRegistration');

/** How to reach a cluster: a kubeconfig, or Argo CD's cluster config fields. */
export const ClusterCredentials = z.union([
  z.object({ kubeconfig: z.string().min(1) }),
  z.object({
    server: z.string().min(1),
    bearerToken: z.string().optional(),
    username: z.string().optional(),
    password: z.string().optional(),
    tlsClientConfig: z
      .object({
        caData: z.string().optional(),
        certData: z.string().optional(),
        keyData: z.string().optional(),
        insecure: z.boolean().optional(),
        serverName: z.string().optional(),
      })
      .default({}),
  }),
]);

export const ApplicationRegistration = z
  .object({
    v: SchemaVersion1,
    name: AppName,
    /** The registered cluster the destination resolved to. */
    cluster: ClusterName,
    spec: ApplicationSpec,
    updatedAt: Timestamp,
  })
  .describe('ApplicationRegistration');

export type RepositoryRegistration = z.infer<typeof RepositoryRegistration>;
export type ClusterRegistration = z.infer<typeof ClusterRegistration>;
export type ClusterCredentials = z.infer<typeof ClusterCredentials>;
export type ApplicationRegistration = z.infer<typeof ApplicationRegistration>;
