import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nkeys } from '@nats-io/transport-node';
// Specs are not shipped, so test tooling is fine here (the rule guards library code).
import { NatsServer } from '@cairn/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectNats } from './connection';

/** Every way a service may authenticate (CAIRN_NATS_*), against a server that asks. */
describe('connecting to a NATS server that asks who you are', () => {
  let server: NatsServer;
  let dir: string;

  beforeAll(async () => {
    server = await NatsServer.start([{ user: 'api' }, { user: 'agent', nkey: true }]);
    dir = await mkdtemp(join(tmpdir(), 'nats-auth-'));
  });
  afterAll(async () => {
    await server?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('gets in with a user and password, or with a credentials file', async () => {
    const api = server.user('api');
    for (const auth of [
      { user: api.user, password: api.password },
      { credentialsFile: server.user('agent').credentialsFile },
    ]) {
      const nc = await connectNats({ url: server.url, name: 'auth-test', auth });
      await nc.flush();
      expect(nc.info?.server_id).toBeTruthy();
      await nc.close();
    }
  });

  it('gives up, rather than retrying forever, when the server refuses the credentials', async () => {
    await expect(
      connectNats({
        url: server.url,
        name: 'auth-test',
        auth: { user: 'api', password: 'not-the-password' },
      }),
    ).rejects.toThrow(/Authorization Violation/i);

    // A well-formed credentials file, of a user the server does not know.
    const known = await readFile(server.user('agent').credentialsFile as string, 'utf8');
    const stranger = join(dir, 'stranger.creds');
    const seed = new TextDecoder().decode(nkeys.createUser().getSeed());
    await writeFile(stranger, known.replace(/^SU[A-Z0-9]+$/m, seed));
    expect(await readFile(stranger, 'utf8')).toContain(seed);
    await expect(
      connectNats({ url: server.url, name: 'auth-test', auth: { credentialsFile: stranger } }),
    ).rejects.toThrow(/Authorization Violation/i);
  });
});
