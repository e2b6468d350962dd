import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { testInfra, uniqueName } from '@cairn/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectNats } from './connection';
import { ensureStream } from './jetstream';
import { retainedMessages } from './retained-messages';

describe('retainedMessages against the real server', () => {
  const { natsUrl, natsPrefix } = testInfra();
  const stream = `${natsPrefix}_${uniqueName('retained')}`.replace(/-/g, '_');
  let nc: NatsConnection;

  const read = async (name: string) => {
    const texts: string[] = [];
    for await (const data of retainedMessages(nc, name)) texts.push(new TextDecoder().decode(data));
    return texts;
  };

  beforeAll(async () => {
    nc = await connectNats({ url: natsUrl, name: 'retained-messages-test' });
  });

  afterAll(async () => {
    await (await jetstreamManager(nc)).streams.delete(stream).catch(() => undefined);
    await nc?.close();
  });

  it('reads nothing from a stream that does not exist, or holds nothing', async () => {
    expect(await read(`${stream}_missing`)).toEqual([]);
    await ensureStream(nc, { name: stream, subjects: [`${stream}.>`], maxMsgsPerSubject: 2 });
    expect(await read(stream)).toEqual([]);
  });

  it('reads every message the stream holds, oldest first, and then ends', async () => {
    const js = jetstream(nc);
    for (const [subject, text] of [
      ['a', 'a1'],
      ['b', 'b1'],
      ['a', 'a2'],
      ['a', 'a3'],
    ]) {
      await js.publish(`${stream}.${subject}`, text);
    }
    // Two per subject: a1 is gone.
    expect(await read(stream)).toEqual(['b1', 'a2', 'a3']);
  });
});
