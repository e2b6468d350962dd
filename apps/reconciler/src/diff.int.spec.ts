import { decode, DiffReply, diffSubject, DiffRequest, encode } from '@cairn/contracts';
import { ClusterClient } from '@cairn/kube';
import { createTestNamespace, testInfra, uniqueName } from '@cairn/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configMap, deployment, secret } from './testing/manifests';
import { configMapRef, deploymentRef, patchAs } from './testing/out-of-band';
import { ReconcilerHarness } from './testing/reconciler-harness';

const PASSWORD = 'hunter2-initial';
const CHANGED = 's3cr3t-changed';
const b64 = (text: string) => Buffer.from(text).toString('base64');

describe('diff requests: how an app differs from git, per object', () => {
  let harness: ReconcilerHarness;
  let ns: Awaited<ReturnType<typeof createTestNamespace>>;
  let kube: ClusterClient;

  const askDiff = async (app: string) => {
    const reply = await harness.nc.request(
      diffSubject(harness.topology, harness.cluster),
      encode(DiffRequest, { v: 1, app }),
      { timeout: 15_000 },
    );
    return { reply: decode(DiffReply, reply.data), raw: new TextDecoder().decode(reply.data) };
  };

  /** Given an app synced from git, without self-heal, in a namespace of its own. */
  async function givenApp(name: string, options: Parameters<ReconcilerHarness['registerApp']>[1]) {
    const app = uniqueName(name);
    await harness.registerApp(app, options);
    const revision = await harness.publishBundle(app, [
      deployment('web', 2),
      configMap('settings', { color: 'blue' }),
      secret('db', { password: PASSWORD }),
    ]);
    await harness.untilStatus(
      app,
      'Synced',
      (s) => s.sync.revision === revision && s.sync.status === 'Synced',
    );
    return { app, revision };
  }

  beforeAll(async () => {
    harness = await ReconcilerHarness.create(testInfra());
    ns = await createTestNamespace('diff');
    kube = new ClusterClient(ns.kubeconfig);
    await harness.startReconciler();
  });

  afterAll(async () => {
    await harness?.close();
    await ns?.delete();
  });

  it('lists nothing for an app in sync, defaulted fields notwithstanding', async () => {
    const { app, revision } = await givenApp('clean', {
      namespace: ns.name,
      automated: { prune: true },
    });
    expect((await askDiff(app)).reply).toEqual({
      v: 1,
      ok: true,
      app,
      cluster: harness.cluster,
      revision,
      resources: [],
    });
  });

  it('shows each drifted field with its live and desired value, Secret values masked', async () => {
    const target = await createTestNamespace('diff');
    try {
      const { app } = await givenApp('drifted', {
        namespace: target.name,
        automated: { prune: true },
      });
      await patchAs(kube, 'kubectl', deploymentRef('web', target.name), { spec: { replicas: 5 } });
      await patchAs(kube, 'kubectl-label', configMapRef('settings', target.name), {
        metadata: { labels: { added: 'by-someone-else' } },
      });
      await patchAs(
        kube,
        'kubectl-edit',
        { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db', namespace: target.name } },
        {
          data: { password: b64(CHANGED) },
          metadata: {
            annotations: {
              'kubectl.kubernetes.io/last-applied-configuration': `{"stringData":{"password":"${CHANGED}"}}`,
            },
          },
        },
      );
      await harness.untilStatus(
        app,
        'OutOfSync',
        (s) => s.resources.filter((r) => r.status === 'OutOfSync').length === 2,
      );

      const { reply, raw } = await askDiff(app);

      expect(reply.ok && reply.resources).toEqual([
        {
          group: '',
          kind: 'Secret',
          namespace: target.name,
          name: 'db',
          diff: [{ path: 'data.password', live: '***', desired: '***' }],
        },
        {
          group: 'apps',
          kind: 'Deployment',
          namespace: target.name,
          name: 'web',
          diff: [{ path: 'spec.replicas', live: 5, desired: 2 }],
        },
      ]);
      for (const value of [PASSWORD, CHANGED, b64(PASSWORD), b64(CHANGED)])
        expect(raw).not.toContain(value);
    } finally {
      await target.delete();
    }
  });

  it('leaves out what ignoreDifferences names', async () => {
    const target = await createTestNamespace('diff');
    try {
      const { app } = await givenApp('ignoring', {
        namespace: target.name,
        automated: { prune: true },
        ignoreDifferences: [
          {
            group: 'apps',
            kind: 'Deployment',
            jsonPointers: ['/spec/replicas'],
            managedFieldsManagers: [],
          },
        ],
      });
      await patchAs(kube, 'kubectl', deploymentRef('web', target.name), { spec: { replicas: 5 } });
      await new Promise((resolve) => setTimeout(resolve, 500));

      expect((await askDiff(app)).reply).toMatchObject({ ok: true, resources: [] });
      expect(harness.latestStatus(app)?.sync.status).toBe('Synced');
    } finally {
      await target.delete();
    }
  });

  it('answers NotFound, naming the app, for an app it does not know', async () => {
    expect((await askDiff('no-such-app')).reply).toEqual({
      v: 1,
      ok: false,
      reason: 'NotFound',
      message: `application no-such-app is not registered on cluster ${harness.cluster}`,
    });
  });
});
