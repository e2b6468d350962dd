import { randomBytes } from 'node:crypto';
import { startClusters, stopClusters } from '@cairn/cluster';
import type { TestProject } from 'vitest/node';
import { createDatabase, dropDatabase } from './postgres-database';
import { deleteJetStreamAssets } from './nats-cleanup';
import type { TestInfra } from './test-infra';

/**
 * Provisions the real parts that integration and end-to-end tests share: a PostgreSQL
 * database and a NATS prefix of their own for this run, and a Kubernetes cluster. Whatever
 * the environment already names (CAIRN_TEST_DATABASE_URL, CAIRN_TEST_KUBECONFIG, ...) is
 * reused and left alone, which is how tools/test/run-all.sh shares one cluster between
 * the integration and e2e projects.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const env = process.env;
  const runId = env.CAIRN_TEST_RUN_ID ?? randomBytes(3).toString('hex');
  const cleanups: Array<() => Promise<unknown>> = [];

  let databaseUrl = env.CAIRN_TEST_DATABASE_URL;
  if (!databaseUrl) {
    const adminUrl = env.CAIRN_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
    databaseUrl = await createDatabase(adminUrl, `cairn_test_${runId}`);
    cleanups.push(() => dropDatabase(adminUrl, `cairn_test_${runId}`));
  }

  const natsUrl = env.CAIRN_TEST_NATS_URL ?? 'nats://127.0.0.1:4222';
  const natsPrefix = env.CAIRN_TEST_NATS_PREFIX ?? `cairn_${runId}`;
  if (!env.CAIRN_TEST_NATS_PREFIX) cleanups.push(() => deleteJetStreamAssets(natsUrl, natsPrefix));

  let kubeconfigPath = env.CAIRN_TEST_KUBECONFIG;
  if (!kubeconfigPath) {
    const name = `test-${runId}`;
    const [cluster] = await startClusters({ names: [name] });
    kubeconfigPath = cluster.kubeconfigPath;
    cleanups.push(() => stopClusters({ names: [name] }));
  }

  const infra: TestInfra = { runId, databaseUrl, natsUrl, natsPrefix, kubeconfigPath };
  project.provide('cairn', infra);

  return async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  };
}
