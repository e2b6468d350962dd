import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { ensureBinaries } from './binaries';
import { componentStatus, type LocalCluster, startClusters, stopClusters } from './index';
import { isRunning } from './processes';

const run = promisify(execFile);

describe('local clusters', () => {
  const id = randomBytes(3).toString('hex');
  const names = [`it-${id}-a`, `it-${id}-b`];
  let clusters: LocalCluster[] = [];
  let kubectl: string;
  const kubectlOn = (cluster: LocalCluster, ...args: string[]) =>
    run(kubectl, [`--kubeconfig=${cluster.kubeconfigPath}`, ...args]).then((r) => r.stdout);

  afterAll(() => stopClusters({ names }));

  it('starts two independent clusters; a deployment on one rolls out there only', async () => {
    kubectl = (await ensureBinaries()).kubectl;
    clusters = await startClusters({ names });
    const [one, two] = clusters;
    expect(one.server).not.toBe(two.server);

    await kubectlOn(one, 'create', 'deployment', 'web', '--image=nginx', '--replicas=2');
    const started = Date.now();
    let ready = '';
    while (Date.now() - started < 30_000 && ready !== '2/2') {
      ready = (
        await kubectlOn(
          one,
          'get',
          'deploy',
          'web',
          '-o',
          'jsonpath={.status.readyReplicas}/{.spec.replicas}',
        )
      ).trim();
      if (ready !== '2/2') await new Promise((r) => setTimeout(r, 250));
    }
    expect(ready).toBe('2/2');
    await expect(kubectlOn(two, 'get', 'deploy', 'web')).rejects.toThrow(/NotFound/);
  });

  it('audits the requests of user cairn, through its own kubeconfig, and no one else', async () => {
    const [one] = clusters;
    const kubectlAs = (kubeconfig: string, ...args: string[]) =>
      run(kubectl, [`--kubeconfig=${kubeconfig}`, ...args]).then((r) => r.stdout);
    expect(
      await kubectlAs(
        one.cairnKubeconfigPath,
        'auth',
        'whoami',
        '-o',
        'jsonpath={.status.userInfo.username}',
      ),
    ).toBe('cairn');
    await kubectlAs(
      one.cairnKubeconfigPath,
      'get',
      'configmaps',
      '-n',
      'kube-system',
      'extension-apiserver-authentication',
    );
    await kubectlAs(one.kubeconfigPath, 'get', 'configmaps', '-n', 'default');

    const entries = readFileSync(one.auditLogPath, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map(
        (line) =>
          JSON.parse(line) as {
            user: { username: string };
            verb: string;
            objectRef?: { resource?: string; name?: string };
          },
      );
    expect(new Set(entries.map((e) => e.user.username))).toEqual(new Set(['cairn']));
    expect(entries).toContainEqual(
      expect.objectContaining({
        verb: 'get',
        objectRef: expect.objectContaining({
          resource: 'configmaps',
          name: 'extension-apiserver-authentication',
        }),
      }),
    );
  });

  it('stops every process of the clusters on down', async () => {
    const pids = names.flatMap((name) => componentStatus(name));
    expect(pids.filter((p) => p.running)).toHaveLength(10);
    await stopClusters({ names });
    for (const p of pids) {
      // A zombie (exited, not yet reaped by this test process) counts as stopped.
      expect(isRunning(p.pid), `${p.component} (pid ${p.pid}) still runs`).toBe(false);
    }
    expect(names.flatMap((name) => componentStatus(name))).toEqual([]);
  });
});
