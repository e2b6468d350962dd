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

/**
 * A rolled-back application goes without `syncPolicy.automated`, whatever its spec says:
 * otherwise its reconciler would deploy the next desired state over the rollback.
 */
export function applicationRegistration(
  row: ApplicationEntity,
  rolledBack = false,
): ApplicationRegistration {
  const spec = row.spec as ApplicationSpec;
  return {
    v: 1,
    name: row.name,
    cluster: row.cluster,
    spec: rolledBack ? withoutAutomatedSync(spec) : spec,
    updatedAt: row.updatedAt.toISOString(),
  };
}

function optional<K extends string>(key: K, value: string | undefined) {
  return (value === undefined ? {} : { [key]: value }) as Partial<Record<K, string>>;
}

function withoutAutomatedSync(spec: ApplicationSpec): ApplicationSpec {
  const syncPolicy = { ...spec.syncPolicy };
  delete syncPolicy.automated;
  return { ...spec, syncPolicy };
}
