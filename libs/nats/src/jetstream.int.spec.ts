import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
// Specs are not shipped, so test tooling is fine here (the rule guards library code).
import { testInfra, uniqueName } from '@cairn/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectNats } from './connection';
import { ensureDurableConsumer, ensureStream } from './jetstream';

describe('JetStream helpers against the real server', () => {
  const { natsUrl, natsPrefix } = testInfra();
  const stream = `${natsPrefix}_${uniqueName('helpers')}`;
  const subjects = `${stream}.desired.>`;
  let nc: NatsConnection;

  beforeAll(async () => {
    nc = await connectNats({ url: natsUrl, name: 'jetstream-helpers-test' });
  });

  afterAll(async () => {
    await (await jetstreamManager(nc)).streams.delete(stream).catch(() => undefined);
    await nc?.close();
  });

  it('creates a stream once and widens it when more subjects are asked for', async () => {
    const created = await ensureStream(nc, { name: stream, subjects: [subjects] });
    const again = await ensureStream(nc, { name: stream, subjects: [subjects] });
    const widened = await ensureStream(nc, { name: stream, subjects: [`${stream}.events.>`] });

    expect(created.config.subjects).toEqual([subjects]);
    expect(again.created).toEqual(created.created);
    expect(widened.config.subjects).toEqual([subjects, `${stream}.events.>`]);
  });

  it('turns on direct gets of a stream made without them, which then answer by subject', async () => {
    const name = `${stream}_direct`;
    try {
      await ensureStream(nc, { name, subjects: [`${name}.status.>`] });
      await jetstream(nc).publish(`${name}.status.a.web`, JSON.stringify({ n: 1 }));
      const upgraded = await ensureStream(nc, {
        name,
        subjects: [`${name}.status.>`],
        allowDirect: true,
      });
      expect(upgraded.config.allow_direct).toBe(true);
      const jsm = await jetstreamManager(nc);
      const last = await jsm.direct.getMessage(name, { last_by_subj: `${name}.status.a.web` });
      expect(last?.json()).toEqual({ n: 1 });
      // Asked again without it, the stream keeps it.
      const kept = await ensureStream(nc, { name, subjects: [`${name}.status.>`] });
      expect(kept.config.allow_direct).toBe(true);
    } finally {
      await (await jetstreamManager(nc)).streams.delete(name).catch(() => undefined);
    }
  });

  it('delivers to a durable consumer what was published before it connected, and only once', async () => {
    await ensureStream(nc, { name: stream, subjects: [subjects] });
    const js = jetstream(nc);
    await js.publish(`${stream}.desired.cluster-a.guestbook`, JSON.stringify({ revision: 'r1' }));

    const consumer = await ensureDurableConsumer(nc, {
      stream,
      durable: 'reconciler-a',
      filterSubject: `${stream}.desired.cluster-a.>`,
    });
    const first = await consumer.next({ expires: 5_000 });
    expect(first?.json()).toEqual({ revision: 'r1' });
    await first?.ackAck();

    // The process is gone; a message arrives while nobody listens.
    await nc.close();
    const publisher = await connectNats({ url: natsUrl, name: 'publisher' });
    await jetstream(publisher).publish(
      `${stream}.desired.cluster-a.guestbook`,
      JSON.stringify({ revision: 'r2' }),
    );
    await jetstream(publisher).publish(
      `${stream}.desired.cluster-b.guestbook`,
      JSON.stringify({ revision: 'b1' }),
    );
    await publisher.close();

    // A restarted process resumes where the durable left off: r2 only, and nothing for cluster b.
    nc = await connectNats({ url: natsUrl, name: 'jetstream-helpers-test' });
    const resumed = await ensureDurableConsumer(nc, {
      stream,
      durable: 'reconciler-a',
      filterSubject: `${stream}.desired.cluster-a.>`,
    });
    const next = await resumed.next({ expires: 5_000 });
    expect(next?.json()).toEqual({ revision: 'r2' });
    expect(next?.info.deliveryCount).toBe(1);
    await next?.ackAck();
    expect(await resumed.next({ expires: 1_000 })).toBeNull();
  });

  it('updates a durable consumer whose filter changed instead of failing', async () => {
    await ensureDurableConsumer(nc, {
      stream,
      durable: 'moving',
      filterSubject: `${stream}.desired.a.>`,
    });
    await ensureDurableConsumer(nc, {
      stream,
      durable: 'moving',
      filterSubject: `${stream}.desired.b.>`,
    });

    const info = await (await jetstreamManager(nc)).consumers.info(stream, 'moving');
    expect(info.config.filter_subject).toBe(`${stream}.desired.b.>`);
  });
});
