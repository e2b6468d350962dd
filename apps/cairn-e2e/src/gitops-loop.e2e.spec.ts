import type { V1ConfigMap, V1Deployment } from '@kubernetes/client-node';
import { isSyncedAndHealthy } from '@cairn/client';
import { type CairnUnderTest, startCairn, testInfra } from '@cairn/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { givenAnAutomatedApp, webManifests } from './given-an-app';

const POLL_SECONDS = 3;

describe('the GitOps loop, end to end', () => {
  let cut: CairnUnderTest;
  let given: Awaited<ReturnType<typeof givenAnAutomatedApp>>;
  const deployment = () => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: given.namespace.name },
  });
  const configMap = () => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'web-settings', namespace: given.namespace.name },
  });
  const readyReplicas = async () =>
    (await given.kube.read<V1Deployment>(deployment()))?.status?.readyReplicas ?? 0;

  beforeAll(async () => {
    cut = await startCairn(testInfra(), { pollIntervalSeconds: POLL_SECONDS });
    given = await givenAnAutomatedApp(cut, POLL_SECONDS);
  });
  afterAll(async () => {
    await given?.work.dispose();
    await given?.namespace.delete();
    await cut?.stop();
  });

  it('given an automated app at replicas: 1, it becomes Synced and Healthy with 1 ready pod', async () => {
    const app = await cut.cairn.waitForApplication(
      given.app,
      (a) => isSyncedAndHealthy(a, given.firstCommit),
      60_000,
    );
    expect(app.status.sync.revision).toBe(given.firstCommit);
    expect(await readyReplicas()).toBe(1);
  });

  it('when a commit sets replicas: 3, then within one poll interval plus 10 s there are 3 ready pods at the new revision', async () => {
    await given.work.writeFiles(webManifests({ replicas: 3 }));
    const commit = await given.work.commit('web: three replicas');
    const pushedAt = Date.now();
    await given.work.push();

    const app = await cut.cairn.waitForApplication(
      given.app,
      (a) => isSyncedAndHealthy(a, commit),
      (POLL_SECONDS + 10) * 1000,
    );
    expect(await readyReplicas()).toBe(3);
    expect(app.status.sync.revision).toBe(commit);
    expect(Date.now() - pushedAt).toBeLessThan((POLL_SECONDS + 10) * 1000);
  });

  it('when a commit has malformed YAML, then no live object changes and the app names the file and line', async () => {
    const before = await given.kube.read<V1ConfigMap>(configMap());
    await given.work.writeFiles({
      ...webManifests({ replicas: 3, greeting: 'changed' }),
      'apps/web/broken.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x: y\n',
    });
    await given.work.commit('web: broken yaml');
    await given.work.push();

    const app = await cut.cairn.waitForApplication(
      given.app,
      (a) => JSON.stringify(a.status).includes('broken.yaml'),
      (POLL_SECONDS + 10) * 1000,
    );
    expect(JSON.stringify(app.status)).toMatch(/apps\/web\/broken\.yaml:4/);
    expect((await given.kube.read<V1ConfigMap>(configMap()))?.data).toEqual(before?.data);
    expect(await readyReplicas()).toBe(3);
  });

  it('when a manifest has replicas: "three", then the dry-run rejects the bundle and nothing of it is applied', async () => {
    await given.work.remove('apps/web/broken.yaml');
    await given.work.writeFiles(
      webManifests({ replicas: 'three', greeting: 'must not be applied' }),
    );
    const commit = await given.work.commit('web: invalid replicas');
    await given.work.push();

    const app = await cut.cairn.waitForApplication(
      given.app,
      (a) =>
        a.status.operationState?.phase === 'Failed' &&
        JSON.stringify(a.status).includes('replicas'),
      (POLL_SECONDS + 10) * 1000,
    );
    expect(app.status.operationState?.message).toMatch(/replicas/);
    expect(app.status.sync.revision).not.toBe(commit);
    expect((await given.kube.read<V1ConfigMap>(configMap()))?.data?.greeting).toBe('hello');
    expect(await readyReplicas()).toBe(3);
  });
});

describe('bad requests, end to end', () => {
  let cut: CairnUnderTest;
  beforeAll(async () => {
    cut = await startCairn(testInfra());
  });
  afterAll(() => cut?.stop());

  it('a request without a token is a 401', async () => {
    const res = await fetch(`${cut.apiUrl}/api/v1/applications`);
    expect(res.status).toBe(401);
  });

  it('an application with a missing destination is a 400 naming spec.destination', async () => {
    const res = await fetch(`${cut.apiUrl}/api/v1/applications`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${cut.settings.adminToken}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({
        metadata: { name: 'no-destination' },
        spec: { source: { repoURL: 'http://127.0.0.1:1/x.git', path: '.' } },
      }),
    });
    expect(res.status).toBe(400);
    expect(JSON.stringify(await res.json())).toContain('spec.destination');
  });
});
