import type { V1ConfigMap, V1Deployment } from '@kubernetes/client-node';
import { type ApplicationView, isSyncedAndHealthy } from '@cairn/client';
import { type CairnUnderTest, startCairn, testInfra } from '@cairn/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { givenAnAutomatedApp, webManifests } from './given-an-app';

const POLL_SECONDS = 3;
// Generous: a fully loaded 2-core CI machine runs every suite at once.
const SYNC_WITHIN_MS = 60_000;

/** A ConfigMap only commit A declares: a rollback to A must bring it back. */
const ONLY_IN_A = {
  'apps/web/only-in-a.yaml': `apiVersion: v1
kind: ConfigMap
metadata:
  name: only-in-a
data:
  note: "only commit A has me"
`,
};

interface HistoryEntry {
  id: number;
  revision: string;
  bundleDigest?: string;
  result: string;
}

type RolledBackView = ApplicationView & {
  status: { rolledBack?: { id: number; revision: string } };
};

describe('rollback, end to end', () => {
  let cut: CairnUnderTest;
  let given: Awaited<ReturnType<typeof givenAnAutomatedApp>>;
  const commits: Record<'A' | 'B' | 'C', string> = { A: '', B: '', C: '' };

  const inNamespace = (apiVersion: string, kind: string, name: string) => ({
    apiVersion,
    kind,
    metadata: { name, namespace: given.namespace.name },
  });
  const greeting = async () =>
    (await given.kube.read<V1ConfigMap>(inNamespace('v1', 'ConfigMap', 'web-settings')))?.data
      ?.greeting;
  const onlyInA = () => given.kube.read<V1ConfigMap>(inNamespace('v1', 'ConfigMap', 'only-in-a'));
  const replicas = async () =>
    (await given.kube.read<V1Deployment>(inNamespace('apps/v1', 'Deployment', 'web')))?.spec
      ?.replicas;

  const commitAndSync = async (files: Record<string, string>, message: string, drop?: string) => {
    if (drop) await given.work.remove(drop);
    await given.work.writeFiles(files);
    const sha = await given.work.commit(message);
    await given.work.push();
    await cut.cairn.waitForApplication(
      given.app,
      (a) => isSyncedAndHealthy(a, sha),
      SYNC_WITHIN_MS,
    );
    return sha;
  };
  const application = () => cut.cairn.request<RolledBackView>('GET', `/applications/${given.app}`);
  const manifest = (automated: boolean) => ({
    metadata: { name: given.app },
    spec: {
      source: { repoURL: given.repoUrl, path: 'apps/web', targetRevision: 'main' },
      destination: { name: given.cluster, namespace: given.namespace.name },
      syncPolicy: automated ? { automated: { prune: true, selfHeal: false } } : {},
    },
  });

  beforeAll(async () => {
    cut = await startCairn(testInfra(), { pollIntervalSeconds: POLL_SECONDS });
    given = await givenAnAutomatedApp(cut, POLL_SECONDS);
    await cut.cairn.waitForApplication(
      given.app,
      (a) => isSyncedAndHealthy(a, given.firstCommit),
      60_000,
    );
    // startCairn builds the services first when a colleague's change left them stale.
  }, 300_000);
  afterAll(async () => {
    await given?.work.dispose();
    await given?.namespace.delete();
    await cut?.stop();
  });

  it('given commits A, B and C synced in turn, then history lists each with its bundle', async () => {
    commits.A = await commitAndSync(
      { ...webManifests({ replicas: 1, greeting: 'A' }), ...ONLY_IN_A },
      'A: greeting A, plus only-in-a',
    );
    expect(await onlyInA()).toBeDefined();
    commits.B = await commitAndSync(
      webManifests({ replicas: 2, greeting: 'B' }),
      'B: two replicas, only-in-a removed',
      'apps/web/only-in-a.yaml',
    );
    commits.C = await commitAndSync(webManifests({ replicas: 3, greeting: 'C' }), 'C: three');
    expect(await onlyInA()).toBeUndefined();

    const { items } = await cut.cairn.request<{ items: HistoryEntry[] }>(
      'GET',
      `/applications/${given.app}/history`,
    );
    const deployed = items.filter((entry) => entry.result === 'Succeeded');
    expect(deployed.slice(0, 3).map((entry) => entry.revision)).toEqual([
      commits.C,
      commits.B,
      commits.A,
    ]);
    // The reconciler names the bundle it deployed on SyncSucceeded: what a rollback redeploys.
    expect(deployed[2].bundleDigest).toMatch(/^sha256:/);
  });

  it("when rolled back to A's history id, then A's objects are live and automated sync is off", async () => {
    const { items } = await cut.cairn.request<{ items: HistoryEntry[] }>(
      'GET',
      `/applications/${given.app}/history`,
    );
    const entryA = items.find((entry) => entry.revision === commits.A && entry.bundleDigest);
    expect(entryA).toBeDefined();

    await cut.cairn.request('POST', `/applications/${given.app}/rollback`, { id: entryA?.id });

    await expect.poll(greeting, { timeout: SYNC_WITHIN_MS, interval: 250 }).toBe('A');
    expect(await onlyInA()).toBeDefined();
    expect(await replicas()).toBe(1);
    expect((await application()).status.rolledBack).toEqual({
      id: entryA?.id,
      revision: commits.A,
    });
  });

  it('when commit D lands, then it is not deployed while rolled back', async () => {
    await given.work.writeFiles(webManifests({ replicas: 1, greeting: 'D' }));
    const commitD = await given.work.commit('D: greeting D');
    await given.work.push();

    // Two poll intervals and more: long enough for an automated sync to have deployed D.
    await new Promise((resolve) => setTimeout(resolve, (POLL_SECONDS * 2 + 5) * 1000));
    expect(await greeting()).toBe('A');
    expect(await onlyInA()).toBeDefined();
    expect((await application()).status.rolledBack?.revision).toBe(commits.A);

    await cut.cairn.request('PUT', `/applications/${given.app}`, manifest(true));

    await cut.cairn.waitForApplication(
      given.app,
      (a) => isSyncedAndHealthy(a, commitD),
      SYNC_WITHIN_MS,
    );
    expect(await greeting()).toBe('D');
    expect(await onlyInA()).toBeUndefined();
    expect((await application()).status.rolledBack).toBeUndefined();
  });
});
