import { createTestNamespace, testInfra, uniqueName } from '@cairn/testing';
import { APP_LABEL, ClusterClient, TRACKING_ANNOTATION } from '@cairn/kube';
import { CoreV1Api, type V1ConfigMap, type V1Deployment } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configMap, deployment } from './testing/manifests';
import { randomRevision, ReconcilerHarness } from './testing/reconciler-harness';

type TestNamespace = Awaited<ReturnType<typeof createTestNamespace>>;

describe('reconciler: desired states and commands against a real cluster', () => {
  let harness: ReconcilerHarness;
  let kube: ClusterClient;
  let core: CoreV1Api;
  const namespaces: TestNamespace[] = [];

  /** A namespace of the test's own, deleted at the end. */
  async function namespace(): Promise<string> {
    const ns = await createTestNamespace('rec');
    namespaces.push(ns);
    kube ??= new ClusterClient(ns.kubeconfig);
    core ??= ns.kubeconfig.makeApiClient(CoreV1Api);
    return ns.name;
  }
  const readConfigMap = (name: string, ns: string) =>
    kube.read<V1ConfigMap>({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name, namespace: ns },
    });

  beforeAll(async () => {
    harness = await ReconcilerHarness.create(testInfra());
    await harness.startReconciler();
  });

  afterAll(async () => {
    await harness?.close();
    await Promise.all(namespaces.map((ns) => ns.delete()));
  });

  it('is ready once NATS is connected, the registrations loaded and the replicas joined', async () => {
    expect(await harness.readiness()).toEqual([
      { name: 'nats', status: 'ok' },
      { name: 'registry', status: 'ok' },
      { name: 'replicas', status: 'ok' },
    ]);
  });

  it('applies an automated app: tracked objects, then Synced and Healthy with its pods ready', async () => {
    const ns = await namespace();
    const app = uniqueName('web');
    await harness.registerApp(app, { namespace: ns, automated: { prune: true } });

    const revision = await harness.publishBundle(app, [
      deployment('web', 2),
      configMap('settings', { greeting: 'hello' }),
    ]);

    const status = await harness.untilStatus(
      app,
      'Synced and Healthy',
      (s) => s.sync.status === 'Synced' && s.health.status === 'Healthy',
    );
    expect(status).toMatchObject({
      sync: { status: 'Synced', revision },
      operationState: { phase: 'Succeeded' },
      conditions: [],
    });
    expect(
      status.resources.map((r) => [r.kind, r.namespace, r.name, r.status, r.health?.status]),
    ).toEqual(
      expect.arrayContaining([
        ['Deployment', ns, 'web', 'Synced', 'Healthy'],
        ['ConfigMap', ns, 'settings', 'Synced', 'Healthy'],
      ]),
    );
    const live = await kube.read<V1Deployment>({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: ns },
    });
    expect(live?.status?.readyReplicas).toBe(2);
    expect(live?.metadata?.annotations?.[TRACKING_ANNOTATION]).toBe(
      `${app}:apps/Deployment:${ns}/web`,
    );
    expect(live?.metadata?.labels?.[APP_LABEL]).toBe(app);
    expect(
      (await readConfigMap('settings', ns))?.metadata?.annotations?.[TRACKING_ANNOTATION],
    ).toBe(`${app}:/ConfigMap:${ns}/settings`);
    const types = harness.events.filter((e) => e.app === app).map((e) => e.type);
    expect(types.slice(0, 3)).toEqual(['SyncStarted', 'Applied', 'SyncSucceeded']);
    const metrics = await harness.metrics();
    expect(metrics).toMatch(
      new RegExp(
        `cairn_reconciler_syncs_total\\{cluster="${harness.cluster}",result="succeeded"\\} [1-9]`,
      ),
    );
    expect(metrics).toContain(
      `cairn_reconciler_consumer_pending_messages{cluster="${harness.cluster}",consumer="reconciler-desired-${harness.cluster}"}`,
    );
  });

  it('applies nothing of a bundle that fails the server-side dry run, naming the field', async () => {
    const ns = await namespace();
    const app = uniqueName('broken');
    await harness.registerApp(app, { namespace: ns, automated: { prune: true } });

    await harness.publishBundle(app, [
      deployment('web', 'three'),
      configMap('settings', { a: 'b' }),
    ]);

    const failed = await harness.untilEvent(app, 'SyncFailed', (e) => e.type === 'SyncFailed');
    expect(failed.reason).toBe('DryRunFailed');
    expect(failed.message).toMatch(new RegExp(`Deployment ${ns}/web: .*spec\\.replicas`));
    const status = await harness.untilStatus(
      app,
      'operation Failed',
      (s) => s.operationState?.phase === 'Failed',
    );
    expect(status.sync.status).toBe('OutOfSync');
    expect(status.conditions.map((c) => c.type)).toEqual(['SyncError']);
    expect(await readConfigMap('settings', ns)).toBeUndefined();
  });

  it('prunes what a new revision no longer declares, and only objects carrying its tracking annotation', async () => {
    const ns = await namespace();
    const elsewhere = await namespace();
    const app = uniqueName('prune');
    await harness.registerApp(app, { namespace: ns, automated: { prune: true } });
    await kube.apply(configMap('doomed', { owner: 'someone else' }, elsewhere));

    const first = await harness.publishBundle(app, [
      configMap('kept', { a: '1' }),
      configMap('doomed', { a: '1' }),
      configMap('adopted', { a: '1' }),
    ]);
    await harness.untilStatus(
      app,
      'Synced at the first revision',
      (s) => s.sync.revision === first && s.sync.status === 'Synced',
    );
    // Someone takes "adopted" over: without Cairn's annotation it is no longer the app's to delete.
    const adopted = (await readConfigMap('adopted', ns)) as V1ConfigMap;
    delete adopted.metadata?.annotations?.[TRACKING_ANNOTATION];
    await core.replaceNamespacedConfigMap({ name: 'adopted', namespace: ns, body: adopted });

    const second = await harness.publishBundle(app, [configMap('kept', { a: '2' })]);

    const status = await harness.untilStatus(
      app,
      'Synced at the second revision',
      (s) => s.sync.revision === second && s.sync.status === 'Synced',
    );
    expect(status.resources.map((r) => r.name)).toEqual(['kept']);
    const pruned = await harness.untilEvent(app, 'Pruned', (e) => e.type === 'Pruned');
    expect(pruned.resources?.map((r) => `${r.namespace}/${r.name}`)).toEqual([`${ns}/doomed`]);
    expect(status.operationState?.message).toContain(`left alone ConfigMap ${ns}/adopted`);
    expect(await readConfigMap('doomed', ns)).toBeUndefined();
    expect((await readConfigMap('kept', ns))?.data).toEqual({ a: '2' });
    expect(await readConfigMap('adopted', ns)).toBeDefined();
    expect((await readConfigMap('doomed', elsewhere))?.data).toEqual({ owner: 'someone else' });
  });

  it('keeps a non-automated app OutOfSync until a sync command arrives', async () => {
    const ns = await namespace();
    const app = uniqueName('manual');
    await harness.registerApp(app, { namespace: ns });

    const revision = await harness.publishBundle(app, [configMap('settings', { a: 'b' })]);

    await harness.untilStatus(app, 'OutOfSync', (s) => s.sync.status === 'OutOfSync');
    expect(await readConfigMap('settings', ns)).toBeUndefined();

    await harness.publishCommand({
      v: 1,
      op: 'sync',
      id: uniqueName('cmd'),
      app,
      initiatedBy: 'alice',
      requestedAt: new Date().toISOString(),
    });

    const synced = await harness.untilStatus(app, 'Synced', (s) => s.sync.status === 'Synced');
    expect(synced.sync.revision).toBe(revision);
    expect((await readConfigMap('settings', ns))?.data).toEqual({ a: 'b' });
    const started = await harness.untilEvent(app, 'SyncStarted', (e) => e.type === 'SyncStarted');
    expect(started.message).toContain('initiated by alice');
  });

  it('reports a render error as ComparisonError and changes no live object', async () => {
    const ns = await namespace();
    const app = uniqueName('render');
    await harness.registerApp(app, { namespace: ns, automated: { prune: true } });
    const good = await harness.publishBundle(app, [configMap('settings', { version: '1' })]);
    await harness.untilStatus(
      app,
      'Synced',
      (s) => s.sync.revision === good && s.sync.status === 'Synced',
    );
    const before = await readConfigMap('settings', ns);

    const renderError = `${app}/web.yaml:3: invalid YAML: bad indentation of a mapping entry`;
    await harness.publishDesired({
      v: 1,
      app,
      revision: randomRevision(),
      renderError,
      reason: 'new commit on main',
    });

    const status = await harness.untilStatus(app, 'ComparisonError', (s) =>
      s.conditions.some((c) => c.type === 'ComparisonError'),
    );
    expect(status.sync).toEqual({ status: 'Unknown', revision: good });
    expect(status.conditions.find((c) => c.type === 'ComparisonError')?.message).toContain(
      renderError,
    );
    const failed = await harness.untilEvent(app, 'SyncFailed', (e) => e.type === 'SyncFailed');
    expect(failed).toMatchObject({
      reason: 'RenderFailed',
      message: expect.stringContaining(renderError),
    });
    const after = await readConfigMap('settings', ns);
    expect(after?.metadata?.resourceVersion).toBe(before?.metadata?.resourceVersion);
    expect(after?.data).toEqual({ version: '1' });
  });

  it('deletes what the app deployed on a cascading delete, then forgets it', async () => {
    const ns = await namespace();
    const app = uniqueName('gone');
    await harness.registerApp(app, { namespace: ns, automated: { prune: false } });
    await harness.publishBundle(app, [configMap('settings', { a: 'b' })]);
    await harness.untilStatus(app, 'Synced', (s) => s.sync.status === 'Synced');

    await harness.publishCommand({
      v: 1,
      op: 'delete',
      cascade: true,
      id: uniqueName('cmd'),
      app,
      initiatedBy: 'alice',
      requestedAt: new Date().toISOString(),
    });

    const deleted = await harness.untilEvent(app, 'AppDeleted', (e) => e.type === 'AppDeleted');
    expect(deleted.resources?.map((r) => r.name)).toEqual(['settings']);
    expect(await readConfigMap('settings', ns)).toBeUndefined();
  });
});
