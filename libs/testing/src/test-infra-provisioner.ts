import { randomBytes } from 'node:crypto';
import { startClusters, stopClusters } from '@cairn/cluster';
import { deleteJetStreamAssets } from './nats-cleanup';
import { createDatabase, dropDatabase } from './postgres-database';
import type { TestInfra } from './test-infra';

export interface ProvisionedInfra {
  infra: TestInfra;
  /** Undoes what was created here; what the environment named is left alone. */
  release(): Promise<void>;
}

/**
 * Provisions the real parts that integration and end-to-end tests share: a PostgreSQL
 * database and a NATS prefix of their own for this run, and a Kubernetes cluster.
 * Whatever the environment already names (CAIRN_TEST_DATABASE_URL, CAIRN_TEST_NATS_PREFIX,
 * CAIRN_TEST_KUBECONFIG) is reused as it is.
 */
export async function provisionTestInfra(
  env: NodeJS.ProcessEnv = process.env,
): Promise<ProvisionedInfra> {
  const runId = env.CAIRN_TEST_RUN_ID ?? randomBytes(3).toString('hex');
  const cleanups: Array<() => Promise<unknown>> = [];
  const release = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  };

  try {
    let databaseUrl = env.CAIRN_TEST_DATABASE_URL;
    if (!databaseUrl) {
      const adminUrl = env.CAIRN_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
      const name = `cairn_test_${runId}`;
      databaseUrl = await createDatabase(adminUrl, name);
      cleanups.push(() => dropDatabase(adminUrl, name));
    }

    const natsUrl = env.CAIRN_TEST_NATS_URL ?? 'nats://127.0.0.1:4222';
    const natsPrefix = env.CAIRN_TEST_NATS_PREFIX ?? `cairn_${runId}`;
    if (!env.CAIRN_TEST_NATS_PREFIX)
      cleanups.push(() => deleteJetStreamAssets(natsUrl, natsPrefix));

    let kubeconfigPath = env.CAIRN_TEST_KUBECONFIG;
    if (!kubeconfigPath) {
      const name = `test-${runId}`;
      cleanups.push(() => stopClusters({ names: [name] }));
      const [cluster] = await startClusters({ names: [name] });
      kubeconfigPath = cluster.kubeconfigPath;
    }

    return { infra: { runId, databaseUrl, natsUrl, natsPrefix, kubeconfigPath }, release };
  } catch (err) {
    await release();
    throw err;
  }
}

/** The environment that makes another process (vitest, a service) reuse this infra. */
export function infraEnvironment(infra: TestInfra): Record<string, string> {
  return {
    CAIRN_TEST_RUN_ID: infra.runId,
    CAIRN_TEST_DATABASE_URL: infra.databaseUrl,
    CAIRN_TEST_NATS_URL: infra.natsUrl,
    CAIRN_TEST_NATS_PREFIX: infra.natsPrefix,
    CAIRN_TEST_KUBECONFIG: infra.kubeconfigPath,
  };
}
