import type { DesiredState } from '@cairn/contracts';
import { normalizeRepositoryUrl, repositoryCacheKey } from '@cairn/git';
import { LeaseBucket, ownerOf, replicaBuckets } from '@cairn/replicas';
import { createRepository, GitServer, testInfra, uniqueName, WorkingCopy } from '@cairn/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PollerUnderTest } from '../testing/poller-under-test';

/**
 * Given two repo-poller replicas on one topology and six repositories, each with an app,
 * then each app's desired state arrives once and each commit is fetched by one replica
 * only; when one replica stops, a commit on one of its repositories is still published by
 * the other, without fetching again what the stopped one had already done.
 */

const REPOSITORIES = 6;
const configMap = (value: string) =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  value: "${value}"\n`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const fetches = (poller: PollerUnderTest) => poller.metric('cairn_poller_fetches_total');

describe('repo-poller replicas share the repositories', () => {
  const { natsUrl, natsPrefix } = testInfra();
  let server: GitServer;
  let replicas: PollerUnderTest[];
  /** Registers what the api would, and watches what reconcilers would see; never started. */
  let observer: PollerUnderTest;
  const urls: string[] = [];
  const works: WorkingCopy[] = [];
  const desired: DesiredState[][] = [];

  beforeAll(async () => {
    const root = `${natsPrefix}_${uniqueName('replicas').replace(/[-.]/g, '_')}`;
    observer = await PollerUnderTest.prepare(natsUrl, root);
    replicas = [
      await PollerUnderTest.prepare(natsUrl, root),
      await PollerUnderTest.prepare(natsUrl, root),
    ];
    server = await GitServer.start();
    for (let i = 0; i < REPOSITORIES; i++) {
      const url = await createRepository(server, `team-${i}`);
      const work = await WorkingCopy.clone(url);
      await work.writeFiles({ 'deploy/settings.yaml': configMap(`${i}-1`) });
      await work.commit('first');
      await work.push();
      urls.push(url);
      works.push(work);
    }
    await Promise.all(replicas.map((replica) => replica.start(natsUrl)));
  });

  afterAll(async () => {
    for (const replica of [...(replicas ?? []), observer])
      await replica?.stop().catch(() => undefined);
    for (const work of works) await work.dispose();
    await server?.stop();
  });

  it('see each other, then split the repositories: each desired state once, each commit fetched once', async () => {
    for (const replica of replicas)
      await expect.poll(() => replica.metric('cairn_poller_members'), { timeout: 15_000 }).toBe(2);

    const writer = observer;
    for (const [i, url] of urls.entries()) {
      await writer.putRepository({ id: `team-${i}`, url, pollIntervalSeconds: 1 });
      await writer.putApplication(`team-${i}`, {
        repoURL: url,
        path: 'deploy',
        targetRevision: 'main',
      });
      desired.push(await writer.watchDesired(`team-${i}`));
    }

    await expect
      .poll(() => desired.every((states) => states.length >= 1), { timeout: 30_000 })
      .toBe(true);
    await sleep(3_000); // several more polls of every repository by both replicas
    expect(desired.map((states) => states.length)).toEqual(Array(REPOSITORIES).fill(1));
    expect((await fetches(replicas[0])) + (await fetches(replicas[1]))).toBe(REPOSITORIES);
    const polled = await Promise.all(
      replicas.map((replica) => replica.metric('cairn_poller_repositories')),
    );
    expect(polled[0] + polled[1]).toBe(REPOSITORIES);
  });

  it('when one replica stops, the other picks up a commit on its repositories within 30 s', async () => {
    const members = replicas.map((replica) => replica.memberId()).sort();
    const ownedBy = (replica: PollerUnderTest) =>
      urls.filter((url) => ownerOf(normalizeRepositoryUrl(url), members) === replica.memberId());
    // The replica with more repositories stops: it has at least one.
    const [stopping, surviving] =
      ownedBy(replicas[0]).length >= ownedBy(replicas[1]).length
        ? replicas
        : [replicas[1], replicas[0]];
    const index = urls.indexOf(ownedBy(stopping)[0]);
    const fetchesBefore = await fetches(surviving);

    await stopping.stop();
    replicas = [surviving];
    await expect.poll(() => surviving.metric('cairn_poller_members'), { timeout: 15_000 }).toBe(1);
    await works[index].writeFiles({ 'deploy/settings.yaml': configMap(`${index}-2`) });
    const moved = await works[index].commit('second');
    await works[index].push();

    await expect.poll(() => desired[index].at(-1)?.revision, { timeout: 30_000 }).toBe(moved);
    expect(await surviving.metric('cairn_poller_repositories')).toBe(REPOSITORIES);
    // Only the new commit was fetched: what the stopped replica published was recalled.
    expect(await fetches(surviving)).toBe(fetchesBefore + 1);
    expect(desired.map((states) => states.length)).toEqual(
      desired.map((_, i) => (i === index ? 2 : 1)),
    );
  });

  it('when a poll finds a moved ref while another replica holds the repository, it publishes once the lease is free', async () => {
    const [surviving] = replicas;
    // Polled on an hour's interval: only the asked-for poll can find the commit.
    const url = await createRepository(server, 'held');
    const work = await WorkingCopy.clone(url);
    works.push(work);
    await work.writeFiles({ 'deploy/settings.yaml': configMap('held-1') });
    await work.commit('first');
    await work.push();
    await observer.putRepository({ id: 'held', url, pollIntervalSeconds: 3600 });
    await observer.putApplication('held', { repoURL: url, path: 'deploy', targetRevision: 'main' });
    const states = await observer.watchDesired('held');
    await expect.poll(() => states.length, { timeout: 30_000 }).toBe(1);

    const leases = await LeaseBucket.open(observer.nc, {
      bucket: replicaBuckets(observer.topology, 'poller').leases,
      ttlMs: 30_000,
      logger: { log: () => undefined, warn: () => undefined, error: () => undefined },
    });
    const held = await leases.acquire(repositoryCacheKey(url), 'another-replica');
    expect(held).toBeDefined();
    await work.writeFiles({ 'deploy/settings.yaml': configMap('held-2') });
    const moved = await work.commit('second');
    await work.push();

    const polled = surviving.requestPoll({ url });
    await sleep(1_500);
    expect(states).toHaveLength(1); // nothing while the other replica holds it
    await held?.release();
    await polled;
    await expect.poll(() => states.at(-1)?.revision, { timeout: 5_000 }).toBe(moved);
  });
});
