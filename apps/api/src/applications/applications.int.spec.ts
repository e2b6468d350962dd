import { Topology } from '@cairn/contracts';
import { testInfra } from '@cairn/testing';
import { Kvm } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiClient, startTestApi } from '../testing/api-test-app';
import type { ApplicationView } from './application-view';

const REPO = 'https://git.example.com/org/apps.git';

describe('api: /api/v1/applications', () => {
  let api: ApiClient;
  let nc: NatsConnection;
  let topology: Topology;
  let stop: () => Promise<void>;

  const call: ApiClient['call'] = (...args) => api.call(...args);

  const application = (name: string, destination: object, extra: object = {}) => ({
    metadata: { name },
    spec: { source: { repoURL: REPO, path: name }, destination, ...extra },
  });

  beforeAll(async () => {
    ({ api, nc, topology, stop } = await startTestApi(testInfra(), 'apps'));
    for (const body of [
      { name: 'prod', mode: 'agent', server: 'https://prod.example.com:6443' },
      { name: 'staging', mode: 'agent' },
    ]) {
      expect((await call('POST', '/clusters', body)).statusCode).toBe(201);
    }
  });

  afterAll(() => stop?.());

  describe('given registered clusters', () => {
    it('creates an application from JSON, with defaults and an Unknown status', async () => {
      const created = await call(
        'POST',
        '/applications',
        application('guestbook', { name: 'prod', namespace: 'web' }),
      );

      expect(created.statusCode).toBe(201);
      expect(created.json()).toEqual({
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'Application',
        metadata: { name: 'guestbook', creationTimestamp: expect.any(String) },
        spec: {
          source: { repoURL: REPO, path: 'guestbook', targetRevision: 'HEAD' },
          destination: { name: 'prod', namespace: 'web' },
          syncPolicy: { syncOptions: [] },
        },
        status: {
          sync: { status: 'Unknown' },
          health: { status: 'Unknown' },
          resources: [],
          conditions: [],
          history: [],
        },
      });
      expect((await call('GET', '/applications/guestbook')).json()).toEqual(created.json());
    });

    it('mirrors it to the registry with the cluster its destination resolved to', async () => {
      await call(
        'POST',
        '/applications',
        application('by-server', { server: 'https://prod.example.com:6443/' }),
      );

      const entry = await (
        await new Kvm(nc).open(topology.buckets.applications())
      ).get('by-server');

      expect(entry?.json()).toMatchObject({
        v: 1,
        name: 'by-server',
        cluster: 'prod',
        spec: { destination: { server: 'https://prod.example.com:6443/' } },
      });
    });

    it('accepts a YAML body', async () => {
      const yaml = [
        'metadata:',
        '  name: from-yaml',
        'spec:',
        '  source:',
        `    repoURL: ${REPO}`,
        '    path: deploy',
        '    targetRevision: main',
        '  destination: {name: staging, namespace: yaml}',
        '  syncPolicy:',
        '    automated: {prune: true}',
        '    syncOptions: [CreateNamespace=true]',
      ].join('\n');

      const created = await call('POST', '/applications', yaml, 'application/yaml');

      expect(created.statusCode).toBe(201);
      expect(created.json().spec).toEqual({
        source: { repoURL: REPO, path: 'deploy', targetRevision: 'main' },
        destination: { name: 'staging', namespace: 'yaml' },
        syncPolicy: {
          automated: { prune: true, selfHeal: false },
          syncOptions: ['CreateNamespace=true'],
        },
      });
    });

    it('accepts an Argo CD Application manifest as is', async () => {
      const manifest = `
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: argo-guestbook
  namespace: argocd
  finalizers: [resources-finalizer.argocd.argoproj.io]
spec:
  project: default
  source:
    repoURL: ${REPO}
    targetRevision: HEAD
    path: guestbook
  destination:
    server: https://prod.example.com:6443
    namespace: guestbook
  syncPolicy:
    automated:
      prune: true
      selfHeal: true
`;
      const created = await call('POST', '/applications', manifest, 'text/yaml');

      expect(created.statusCode).toBe(201);
      expect(created.json()).toMatchObject({
        metadata: { name: 'argo-guestbook' },
        spec: {
          source: { repoURL: REPO, path: 'guestbook', targetRevision: 'HEAD' },
          destination: { server: 'https://prod.example.com:6443', namespace: 'guestbook' },
          syncPolicy: { automated: { prune: true, selfHeal: true } },
        },
      });
      expect(
        (await call('GET', '/applications?cluster=prod'))
          .json()
          .items.map((a: ApplicationView) => a.metadata.name),
      ).toContain('argo-guestbook');
    });

    it('answers 400 naming spec.destination when it is missing', async () => {
      const response = await call('POST', '/applications', {
        metadata: { name: 'nowhere' },
        spec: { source: { repoURL: REPO } },
      });

      expect(response.statusCode).toBe(400);
      expect(response.json()).toEqual({
        statusCode: 400,
        error: 'Bad Request',
        message: 'spec.destination: Required',
        problems: [{ path: 'spec.destination', reason: 'Required' }],
      });
    });

    it('answers 400 naming the destination field when it resolves to no registered cluster', async () => {
      const byName = await call('POST', '/applications', application('lost', { name: 'mars' }));
      const byServer = await call(
        'POST',
        '/applications',
        application('lost', { server: 'https://mars:6443' }),
      );

      expect(byName.statusCode).toBe(400);
      expect(byName.json().message).toMatch(
        /^spec\.destination\.name: names no registered cluster \("mars"\)/,
      );
      expect(byServer.statusCode).toBe(400);
      expect(byServer.json().problems).toEqual([
        {
          path: 'spec.destination.server',
          reason: expect.stringContaining('no registered cluster'),
        },
      ]);
      expect((await call('GET', '/applications/lost')).statusCode).toBe(404);
    });

    it('answers 400 for a body that does not parse, saying where, and 413 past the size cap', async () => {
      const response = await call(
        'POST',
        '/applications',
        'metadata:\n  name: a\n name: b\n',
        'application/yaml',
      );
      expect(response.statusCode).toBe(400);
      expect(response.json().message).toMatch(/^body: not valid YAML: .*line \d+/);

      const json = await call('POST', '/applications', '{"metadata": ', 'application/json');
      expect(json.statusCode).toBe(400);
      expect(json.json()).toMatchObject({
        error: 'Bad Request',
        problems: [{ path: 'body', reason: expect.stringContaining('JSON') }],
      });

      const huge = `metadata:\n  name: huge\n# ${'x'.repeat(2 * 1024 * 1024)}\n`;
      expect((await call('POST', '/applications', huge, 'application/yaml')).statusCode).toBe(413);
    });

    it('answers 409 for a name that exists', async () => {
      await call('POST', '/applications', application('taken', { name: 'prod' }));
      const again = await call('POST', '/applications', application('taken', { name: 'staging' }));
      expect(again.statusCode).toBe(409);
      expect(again.json().message).toContain('application "taken" already exists');
    });

    it('filters the list by cluster, namespace, repository, sync and health', async () => {
      await call(
        'POST',
        '/applications',
        application('filter-a', { name: 'staging', namespace: 'team-a' }),
      );
      await call('POST', '/applications', {
        ...application('filter-b', { name: 'staging', namespace: 'team-b' }),
        spec: {
          source: { repoURL: 'https://git.example.com/org/other' },
          destination: { name: 'staging', namespace: 'team-b' },
        },
      });
      const names = async (query: string) =>
        ((await call('GET', `/applications?${query}`)).json().items as ApplicationView[]).map(
          (a) => a.metadata.name,
        );

      expect(await names('namespace=team-a')).toEqual(['filter-a']);
      expect(await names('repo=https://GIT.example.com/org/other/')).toEqual(['filter-b']);
      expect(await names('cluster=staging&namespace=team-b')).toEqual(['filter-b']);
      expect(await names('cluster=prod')).not.toContain('filter-a');
      expect(await names('sync=Unknown&health=Unknown&namespace=team-a')).toEqual(['filter-a']);
      expect(await names('sync=Synced&namespace=team-a')).toEqual([]);
      const bad = await call('GET', '/applications?health=Great');
      expect(bad.statusCode).toBe(400);
      expect(bad.json().problems[0].path).toBe('health');
    });

    it('updates an application with PUT, refusing a rename', async () => {
      await call('POST', '/applications', application('movable', { name: 'prod' }));

      const moved = await call(
        'PUT',
        '/applications/movable',
        application('movable', { name: 'staging' }),
      );
      const renamed = await call(
        'PUT',
        '/applications/movable',
        application('other-name', { name: 'staging' }),
      );

      expect(moved.statusCode).toBe(200);
      expect(moved.json().spec.destination).toEqual({ name: 'staging' });
      const entry = await (await new Kvm(nc).open(topology.buckets.applications())).get('movable');
      expect(entry?.json()).toMatchObject({ cluster: 'staging' });
      expect(renamed.statusCode).toBe(400);
      expect(renamed.json().problems[0].path).toBe('metadata.name');
      expect(
        (await call('PUT', '/applications/absent', application('absent', { name: 'prod' })))
          .statusCode,
      ).toBe(404);
    });

    it('deletes an application: gone from GET and from the registry', async () => {
      await call('POST', '/applications', application('doomed', { name: 'prod' }));

      expect((await call('DELETE', '/applications/doomed')).statusCode).toBe(204);

      expect((await call('GET', '/applications/doomed')).statusCode).toBe(404);
      expect((await call('DELETE', '/applications/doomed')).statusCode).toBe(404);
      const entry = await (await new Kvm(nc).open(topology.buckets.applications())).get('doomed');
      expect(entry?.operation).toBe('DEL');
    });

    it('registers more applications at once than the database pool has connections', async () => {
      const names = Array.from({ length: 24 }, (_, i) => `bulk-${i}`);

      const answers = await Promise.all(
        names.map((name) =>
          call('POST', '/applications', application(name, { name: 'staging', namespace: 'bulk' })),
        ),
      );

      expect(answers.map((answer) => answer.statusCode)).toEqual(names.map(() => 201));
      const listed = (await call('GET', '/applications?namespace=bulk')).json()
        .items as ApplicationView[];
      expect(listed.map((a) => a.metadata.name).sort()).toEqual([...names].sort());
    }, 20_000);

    it('answers 409 to all but one of several POSTs of the same name at once, and keeps the first', async () => {
      const namespaces = Array.from({ length: 6 }, (_, i) => `race-${i}`);

      const answers = await Promise.all(
        namespaces.map((namespace) =>
          call('POST', '/applications', application('raced', { name: 'staging', namespace })),
        ),
      );

      const codes = answers.map((answer) => answer.statusCode).sort();
      expect(codes).toEqual([201, 409, 409, 409, 409, 409]);
      const created = answers
        .find((answer) => answer.statusCode === 201)
        ?.json() as ApplicationView;
      const stored = (await call('GET', '/applications/raced')).json() as ApplicationView;
      expect(stored.spec.destination.namespace).toBe(created.spec.destination.namespace);
    });
  });
});
