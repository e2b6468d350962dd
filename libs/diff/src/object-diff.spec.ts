import { describe, expect, it } from 'vitest';
import { diffObjects } from './object-diff';
import { fixture } from './testdata/fixture';

const CONTAINER = 'spec.template.spec.containers[name=web]';
type Spec = {
  selector: { matchLabels: Record<string, string> };
  template: { spec: { containers: Array<{ ports: unknown[] }> } };
};

describe('diffObjects: what Cairn declared against what is live', () => {
  it('finds nothing between an object and itself, defaulted fields and status included', () => {
    expect(diffObjects(fixture('deployment-applied'), fixture('deployment-applied'))).toEqual([]);
  });

  it('names spec.replicas after kubectl scale, which took the field from Cairn', () => {
    expect(diffObjects(fixture('deployment-applied'), fixture('deployment-scaled'))).toEqual([
      { path: 'spec.replicas', live: 5, desired: 2 },
    ]);
  });

  it('gives the same answer from a server-side dry run as the desired form', () => {
    expect(diffObjects(fixture('deployment-dry-run'), fixture('deployment-scaled'))).toEqual([
      { path: 'spec.replicas', live: 5, desired: 2 },
    ]);
  });

  it('names the container field another manager changed', () => {
    expect(diffObjects(fixture('deployment-applied'), fixture('deployment-image-edited'))).toEqual(
      expect.arrayContaining([
        { path: `${CONTAINER}.image`, live: 'nginx:1.28', desired: 'nginx:1.27' },
      ]),
    );
  });

  it('ignores labels and annotations other managers added, and a sidecar a webhook injected', () => {
    const scaled = fixture('deployment-scaled');
    expect(scaled.metadata?.labels).toHaveProperty('team', 'payments');
    expect(diffObjects(fixture('deployment-applied'), fixture('deployment-sidecar'))).toEqual([]);
  });

  it('ignores replicas that an HPA or kubectl scales when the manifest declares none', () => {
    const live = fixture('deployment-without-replicas-scaled');
    expect((live.spec as { replicas: number }).replicas).toBe(4);
    expect(diffObjects(fixture('deployment-without-replicas-applied'), live)).toEqual([]);
  });

  it('compares normalised values: cpu "0.5" was declared, "500m" is stored, no difference', () => {
    const applied = fixture('deployment-applied');
    expect(JSON.stringify(applied)).toContain('"cpu":"500m"');
    expect(diffObjects(applied, fixture('deployment-sidecar'))).toEqual([]);
  });

  it('reports a declared list item that is gone as one difference, not one per field', () => {
    const live = fixture('deployment-applied');
    const container = (live.spec as Spec).template.spec.containers[0];
    container.ports = [];
    expect(diffObjects(fixture('deployment-applied'), live)).toEqual([
      {
        path: `${CONTAINER}.ports[containerPort=80,protocol=TCP]`,
        desired: { containerPort: 80 },
      },
    ]);
  });

  it('reports a missing object whole, with only what was declared', () => {
    const [missing] = diffObjects(fixture('deployment-applied'), undefined);
    expect(missing.path).toBe('');
    expect(missing.live).toBeUndefined();
    expect(missing.desired).toMatchObject({ spec: { replicas: 2 } });
    expect(JSON.stringify(missing.desired)).not.toMatch(/status|strategy|imagePullPolicy|uid/);
  });

  it('names a ConfigMap key edited out of band, not the key or label another manager added', () => {
    expect(diffObjects(fixture('configmap-applied'), fixture('configmap-edited'))).toEqual([
      { path: 'data.color', live: 'red', desired: 'blue' },
    ]);
  });

  it("reads a Secret's stringData ownership as ownership of data, where the value is stored", () => {
    expect(diffObjects(fixture('secret-applied'), fixture('secret-edited'))).toEqual([
      {
        path: 'data.password',
        live: Buffer.from('s3cr3t-changed').toString('base64'),
        desired: Buffer.from('hunter2-initial').toString('base64'),
      },
    ]);
  });
});

describe('diffObjects with ignoreDifferences', () => {
  const applied = fixture('deployment-applied');
  const scaled = fixture('deployment-scaled');

  it('leaves out a JSON pointer', () => {
    expect(diffObjects(applied, scaled, { ignore: { jsonPointers: ['/spec/replicas'] } })).toEqual(
      [],
    );
  });

  it('leaves out fields owned by a named manager', () => {
    expect(
      diffObjects(applied, scaled, { ignore: { managedFieldsManagers: ['kubectl'] } }),
    ).toEqual([]);
    expect(
      diffObjects(applied, scaled, { ignore: { managedFieldsManagers: ['kubectl-label'] } }),
    ).toHaveLength(1);
  });

  it('leaves out a pointer inside a field compared whole (an atomic map)', () => {
    const live = fixture('deployment-applied');
    (live.spec as Spec).selector.matchLabels.extra = 'x';
    expect(diffObjects(applied, live)).toEqual([
      {
        path: 'spec.selector',
        live: { matchLabels: { app: 'web', extra: 'x' } },
        desired: { matchLabels: { app: 'web' } },
      },
    ]);
    expect(
      diffObjects(applied, live, {
        ignore: { jsonPointers: ['/spec/selector/matchLabels/extra'] },
      }),
    ).toEqual([]);
  });

  it('resolves list indices in pointers', () => {
    const edited = fixture('deployment-image-edited');
    expect(
      diffObjects(applied, edited, {
        ignore: { jsonPointers: ['/spec/template/spec/containers/0/image', '/spec/replicas'] },
      }),
    ).toEqual([]);
  });
});
