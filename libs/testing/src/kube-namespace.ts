import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { testInfra, uniqueName } from './test-infra';

/**
 * A namespace of the test's own in the run's cluster, so tests never see each other's
 * objects. Delete it in afterAll; deletion is not awaited to completion (the namespace
 * controller finishes it in the background).
 */
export async function createTestNamespace(prefix = 'test') {
  const kc = new KubeConfig();
  kc.loadFromFile(testInfra().kubeconfigPath);
  const core = kc.makeApiClient(CoreV1Api);
  const name = uniqueName(prefix);
  await core.createNamespace({
    body: { metadata: { name, labels: { 'cairn.dev/test-run': testInfra().runId } } },
  });
  return {
    name,
    kubeconfig: kc,
    delete: () => core.deleteNamespace({ name }).then(() => undefined),
  };
}
