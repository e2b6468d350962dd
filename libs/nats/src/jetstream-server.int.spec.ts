import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { Controller, type INestMicroservice } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { Test } from '@nestjs/testing';
// Specs are not shipped, so test tooling is fine here (the rule guards library code).
import { testInfra, uniqueName } from '@cairn/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectNats } from './connection';
import { JetStreamContext } from './jetstream-context';
import { JetStreamEventPattern } from './jetstream-event-pattern';
import { JetStreamServer, type JetStreamServerOptions } from './jetstream-server';

/** What a test message asks its handler to do. */
interface Work {
  id: string;
  /** Throw on this many deliveries before succeeding. */
  failTimes?: number;
  /** On first delivery, wait until the test says so (a process "busy" when it dies). */
  blockFirstDelivery?: boolean;
  /** Take this long. */
  workMs?: number;
}

interface Handled {
  id: string;
  subject: string;
  delivery: number;
  outcome: 'done' | 'failed';
}

/** A Nest microservice with one `@EventPattern` handler, and a record of what it did. */
async function startService(pattern: string, options: JetStreamServerOptions) {
  const handled: Handled[] = [];
  const started: string[] = [];
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));

  @Controller()
  class DesiredStateHandler {
    @JetStreamEventPattern(pattern)
    async onDesiredState(@Payload() work: Work, @Ctx() context: JetStreamContext): Promise<void> {
      const record = {
        id: work.id,
        subject: context.getSubject(),
        delivery: context.getDeliveryCount(),
      };
      started.push(work.id);
      if (work.blockFirstDelivery && record.delivery === 1) await released;
      if (work.workMs) await new Promise((resolve) => setTimeout(resolve, work.workMs));
      if (record.delivery <= (work.failTimes ?? 0)) {
        handled.push({ ...record, outcome: 'failed' });
        throw new Error(`failing ${work.id} on purpose`);
      }
      handled.push({ ...record, outcome: 'done' });
    }
  }

  const moduleRef = await Test.createTestingModule({
    controllers: [DesiredStateHandler],
  }).compile();
  const strategy = new JetStreamServer(options);
  const app: INestMicroservice = moduleRef.createNestMicroservice({ strategy, logger: false });
  await app.listen();
  return { app, strategy, handled, started, release };
}

async function until<T>(what: string, probe: () => T | undefined, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('JetStreamServer: @EventPattern handlers on durable JetStream consumers', () => {
  const { natsUrl, natsPrefix } = testInfra();
  const stream = `${natsPrefix}_${uniqueName('nest')}`;
  const options = (durable: string): JetStreamServerOptions => ({
    url: natsUrl,
    name: durable,
    stream: { name: stream, subjects: [`${stream}.>`] },
    durable,
    ackWaitMs: 1_000,
    nakDelayMs: 200,
  });
  let nc: NatsConnection;
  const publish = (subject: string, work: Work) =>
    jetstream(nc).publish(subject, JSON.stringify(work));

  beforeAll(async () => {
    nc = await connectNats({ url: natsUrl, name: 'jetstream-server-test' });
    const jsm = await jetstreamManager(nc);
    await jsm.streams.add({ name: stream, subjects: [`${stream}.>`] });
  });

  afterAll(async () => {
    await (await jetstreamManager(nc)).streams.delete(stream).catch(() => undefined);
    await nc?.close();
  });

  describe('a running service', () => {
    const pattern = `${stream}.desired.cluster-a.*`;
    let service: Awaited<ReturnType<typeof startService>>;

    beforeAll(async () => {
      // Published while no service runs: the durable consumer must still deliver it.
      await publish(`${stream}.desired.cluster-a.guestbook`, { id: 'before-start' });
      service = await startService(pattern, options('reconciler'));
    });

    afterAll(async () => {
      await service?.app.close();
    });

    it('receives a message published before it started, once, and acknowledges it', async () => {
      const handled = await until('before-start', () =>
        service.handled.find((h) => h.id === 'before-start'),
      );
      expect(handled).toEqual({
        id: 'before-start',
        subject: `${stream}.desired.cluster-a.guestbook`,
        delivery: 1,
        outcome: 'done',
      });

      const consumer = `reconciler_${stream}_desired_cluster-a_any`;
      await expect
        .poll(
          async () =>
            (await (await jetstreamManager(nc)).consumers.info(stream, consumer)).num_ack_pending,
          {
            timeout: 5_000,
          },
        )
        .toBe(0);
      expect(service.handled.filter((h) => h.id === 'before-start')).toHaveLength(1);
    });

    it('redelivers a message whose handler threw, and then handles it', async () => {
      await publish(`${stream}.desired.cluster-a.flaky`, { id: 'flaky', failTimes: 1 });

      await until('flaky done', () =>
        service.handled.find((h) => h.id === 'flaky' && h.outcome === 'done'),
      );
      expect(
        service.handled.filter((h) => h.id === 'flaky').map((h) => [h.delivery, h.outcome]),
      ).toEqual([
        [1, 'failed'],
        [2, 'done'],
      ]);
    });

    it('only sees the subjects its pattern names', async () => {
      await publish(`${stream}.desired.cluster-b.guestbook`, { id: 'other-cluster' });
      await publish(`${stream}.desired.cluster-a.after`, { id: 'after' });

      await until('after', () => service.handled.find((h) => h.id === 'after'));
      expect(service.handled.map((h) => h.id)).not.toContain('other-cluster');
    });
  });

  it('does not hand a message to a second replica while the first is still working on it', async () => {
    const pattern = `${stream}.desired.cluster-d.>`;
    const replicas = [
      await startService(pattern, options('pair')),
      await startService(pattern, options('pair')),
    ];
    try {
      // Longer than twice the ack wait: only the handler's progress signals keep it ours.
      await publish(`${stream}.desired.cluster-d.guestbook`, { id: 'slow', workMs: 2_500 });

      await until('slow done', () =>
        replicas.flatMap((r) => r.handled).find((h) => h.id === 'slow'),
      );
      await new Promise((resolve) => setTimeout(resolve, 1_200));
      expect(replicas.flatMap((r) => r.started)).toEqual(['slow']);
    } finally {
      await Promise.all(replicas.map((r) => r.app.close()));
    }
  });

  it('redelivers to a restarted service what a service was working on when it died', async () => {
    const pattern = `${stream}.desired.cluster-c.>`;
    const first = await startService(pattern, options('worker'));
    await publish(`${stream}.desired.cluster-c.guestbook`, {
      id: 'in-flight',
      blockFirstDelivery: true,
    });
    await until('the first delivery to start', () =>
      first.started.includes('in-flight') ? true : undefined,
    );

    // The process dies mid-work: its connection is gone before the handler finished.
    await first.strategy.unwrap<NatsConnection>().close();
    const second = await startService(pattern, options('worker'));
    try {
      const redelivered = await until('the redelivery', () =>
        second.handled.find((h) => h.id === 'in-flight'),
      );
      expect(redelivered).toMatchObject({ delivery: 2, outcome: 'done' });
    } finally {
      first.release();
      await first.app.close();
      await second.app.close();
    }
    expect(first.handled).toEqual([
      expect.objectContaining({ id: 'in-flight', delivery: 1, outcome: 'done' }),
    ]);
  });
});
