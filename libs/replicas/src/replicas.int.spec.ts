import { connectNats } from '@cairn/nats';
import { testInfra, uniqueName } from '@cairn/testing';
import type { NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Lease, LeaseBucket } from './leases';
import { Membership } from './membership';

/**
 * Leases and membership against the run's NATS server, with short TTLs. A replica that
 * dies is played by a connection that closes: it can neither renew nor say goodbye.
 */

const quiet = { log: () => undefined, warn: () => undefined, error: () => undefined };
const TTL_MS = 2_000;

describe('replicas on JetStream KV', () => {
  const { natsUrl, natsPrefix } = testInfra();
  const connections: NatsConnection[] = [];
  const connection = async () => {
    const nc = await connectNats({ url: [natsUrl], name: 'replicas-test' });
    connections.push(nc);
    return nc;
  };
  const bucketName = (what: string) => `${natsPrefix}_${uniqueName(what).replace(/-/g, '_')}`;
  let survivor: NatsConnection;

  beforeAll(async () => {
    survivor = await connection();
  });

  afterAll(async () => {
    for (const nc of connections) if (!nc.isClosed()) await nc.close();
  });

  it('gives a lease to one holder at a time, and to the next once released', async () => {
    const leases = await LeaseBucket.open(survivor, {
      bucket: bucketName('leases'),
      ttlMs: 30_000,
      logger: quiet,
    });
    const first = await leases.acquire('cluster-a', 'replica-1');
    expect(first?.held).toBe(true);
    expect(await leases.acquire('cluster-a', 'replica-2')).toBeUndefined();
    expect(await leases.holders()).toEqual(new Map([['cluster-a', 'replica-1']]));

    await first?.release();
    expect(first?.held).toBe(false);
    const second = await leases.acquire('cluster-a', 'replica-2');
    expect(second?.held).toBe(true);
    expect(await leases.holders()).toEqual(new Map([['cluster-a', 'replica-2']]));
    await second?.release();
  });

  it('keeps a renewed lease past its TTL', async () => {
    const leases = await LeaseBucket.open(survivor, {
      bucket: bucketName('renewed'),
      ttlMs: TTL_MS,
      logger: quiet,
    });
    const lease = await leases.acquire('cluster-a', 'replica-1', { renewMs: 400 });
    await new Promise((resolve) => setTimeout(resolve, TTL_MS * 2));
    expect(lease?.held).toBe(true);
    expect(await leases.acquire('cluster-a', 'replica-2')).toBeUndefined();
    await lease?.release();
  });

  it('frees the lease of a holder that died, after its holder stopped counting on it', async () => {
    const bucket = bucketName('dead');
    const dying = await connection();
    const theirs = await LeaseBucket.open(dying, { bucket, ttlMs: TTL_MS, logger: quiet });
    const ours = await LeaseBucket.open(survivor, { bucket, ttlMs: TTL_MS, logger: quiet });
    let lostAt = 0;
    const lease = (await theirs.acquire('cluster-a', 'replica-1', {
      renewMs: 500,
      onLost: () => (lostAt = Date.now()),
    })) as Lease;
    await dying.close();

    let taken: Lease | undefined;
    await expect
      .poll(async () => (taken = await ours.acquire('cluster-a', 'replica-2')), {
        timeout: TTL_MS * 4,
        interval: 200,
      })
      .toBeDefined();
    const takenAt = Date.now();
    // The holder stopped counting on its lease before anyone else could take it.
    expect(lease.held).toBe(false);
    expect(lostAt).toBeGreaterThan(0);
    expect(lostAt).toBeLessThan(takenAt);
    await taken?.release();
  });

  it('members see each other, a leaving one at once, and a dead one after the TTL', async () => {
    const bucket = bucketName('members');
    const options = { bucket, role: 'test', logger: quiet, ttlMs: TTL_MS, heartbeatMs: 300 };
    const dying = await connection();
    const [stays, leaves, dies] = [
      new Membership(options),
      new Membership(options),
      new Membership(options),
    ];
    stays.join(survivor);
    leaves.join(await connection());
    dies.join(dying);
    await Promise.all([stays.joined, leaves.joined, dies.joined]);
    const all = [stays.self, leaves.self, dies.self].sort();
    await expect.poll(() => stays.live(), { timeout: 5_000 }).toEqual(all);

    await leaves.leave();
    await expect
      .poll(() => stays.live(), { timeout: 1_000 })
      .toEqual([stays.self, dies.self].sort());

    await dying.close();
    const diedAt = Date.now();
    await expect.poll(() => stays.live(), { timeout: TTL_MS * 3 }).toEqual([stays.self]);
    expect(Date.now() - diedAt).toBeGreaterThanOrEqual(TTL_MS - 500);
    await stays.leave();
  });
});
