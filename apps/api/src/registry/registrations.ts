import type {
  ApplicationRegistration,
  ApplicationSpec,
  ClusterRegistration,
  RepositoryRegistration,
} from '@cairn/contracts';
import type { ApplicationEntity, ClusterEntity, RepositoryEntity } from '@cairn/persistence';
import { sealedFromColumn } from '../infrastructure/sealed-column';

/**
 * Rows as the other services learn them from the registry buckets. Credentials go as they
 * are stored: sealed. Repositories and clusters are never edited, so their `updatedAt` is
 * when they were registered.
 */

export function repositoryRegistration(row: RepositoryEntity): RepositoryRegistration {
  return {
    v: 1,
    id: row.id,
    url: row.url,
    pollIntervalSeconds: row.pollIntervalSeconds,
    ...(row.username !== null && { username: row.username }),
    ...optional('passwordSealed', sealedFromColumn(row.passwordCiphertext)),
    ...optional('webhookSecretSealed', sealedFromColumn(row.webhookSecretCiphertext)),
    updatedAt: row.createdAt.toISOString(),
  };
}

export function clusterRegistration(row: ClusterEntity): ClusterRegistration {
  return {
    v: 1,
    name: row.name,
    mode: row.mode,
    ...(row.server !== null && { server: row.server }),
    ...optional('credentialsSealed', sealedFromColumn(row.credentialsCiphertext)),
    updatedAt: row.createdAt.toISOString(),
  };
}

export function applicationRegistration(row: ApplicationEntity): ApplicationRegistration {
  return {
    v: 1,
    name: row.name,
    cluster: row.cluster,
    spec: row.spec as ApplicationSpec,
    updatedAt: row.updatedAt.toISOString(),
  };
}

function optional<K extends string>(key: K, value: string | undefined) {
  return (value === undefined ? {} : { [key]: value }) as Partial<Record<K, string>>;
}
