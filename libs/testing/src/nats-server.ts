import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePorts } from '@cairn/cluster';
import { nkeys } from '@nats-io/transport-node';

/** The machine's NATS server binary (the shared server on 4222 runs it too). */
const NATS_SERVER = process.env.CAIRN_NATS_SERVER_BIN ?? '/usr/sbin/nats-server';
const START_TIMEOUT_MS = 15_000;

/** A user of the server's one account; no permissions means all of them. */
export interface NatsUserSpec {
  user: string;
  /** Authenticates with an NKey and a credentials file (see `credentialsFile`), not a password. */
  nkey?: boolean;
  permissions?: {
    publish: string[];
    subscribe: string[];
    allowResponses?: boolean;
  };
}

export interface NatsUser {
  user: string;
  password: string;
  /** For an NKey user: the .creds file to connect with. */
  credentialsFile?: string;
  /** How the server's log names the user: `User "<name>"`, or an NKey user's `Nkey "<key>"`. */
  id: string;
}

/**
 * A NATS server of a test's own, for what the shared one (no authentication) cannot show:
 * users with scoped permissions. JetStream on, a store in a temporary directory, a free
 * port, one account (JetStream needs one) holding the given users, each with a random
 * password. Its log is kept for the permission violations it reports.
 */
export class NatsServer {
  private log = '';

  private constructor(
    readonly url: string,
    readonly users: ReadonlyMap<string, NatsUser>,
    private readonly dir: string,
    private readonly child: ChildProcess,
  ) {
    child.stdout?.on('data', (chunk: Buffer) => (this.log += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (this.log += chunk.toString()));
  }

  static async start(users: NatsUserSpec[]): Promise<NatsServer> {
    const dir = await mkdtemp(join(tmpdir(), 'cairn-nats-'));
    const [port] = await freePorts(1);
    const accounts = new Map<string, NatsUser>();
    const nkeyOf = new Map<string, string>();
    for (const spec of users) {
      const user: NatsUser = {
        user: spec.user,
        password: randomBytes(18).toString('hex'),
        id: spec.user,
      };
      if (spec.nkey) {
        const pair = nkeys.createUser();
        user.id = pair.getPublicKey();
        nkeyOf.set(spec.user, user.id);
        user.credentialsFile = join(dir, `${spec.user}.creds`);
        await writeFile(user.credentialsFile, credentials(pair.getSeed()), { mode: 0o600 });
      }
      accounts.set(spec.user, user);
    }
    const config = join(dir, 'nats.conf');
    await writeFile(config, serverConfig(port, dir, users, accounts, nkeyOf));
    const child = spawn(NATS_SERVER, ['-c', config], { stdio: ['ignore', 'pipe', 'pipe'] });
    const server = new NatsServer(`nats://127.0.0.1:${port}`, accounts, dir, child);
    try {
      await server.until('Server is ready', START_TIMEOUT_MS);
    } catch (error) {
      await server.stop();
      throw error;
    }
    return server;
  }

  /** A user's name and generated password. */
  user(name: string): NatsUser {
    const user = this.users.get(name);
    if (!user) throw new Error(`no NATS user ${name} on this server`);
    return user;
  }

  /** What the server logged so far. */
  output(): string {
    return this.log;
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      const exited = new Promise((resolve) => this.child.once('exit', resolve));
      this.child.kill('SIGTERM');
      await exited;
    }
    const trace = process.env.CAIRN_TEST_NATS_TRACE;
    if (trace) await writeFile(trace, this.log);
    await rm(this.dir, { recursive: true, force: true });
  }

  private async until(line: string, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.log.includes(line)) {
      if (this.child.exitCode !== null)
        throw new Error(`nats-server exited with ${this.child.exitCode}: ${this.log}`);
      if (Date.now() > deadline)
        throw new Error(`nats-server not ready within ${timeoutMs} ms: ${this.log}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

/** Every string quoted: `$JS.API...` unquoted would be read as a variable reference. */
function serverConfig(
  port: number,
  dir: string,
  specs: NatsUserSpec[],
  accounts: Map<string, NatsUser>,
  nkeyOf: Map<string, string>,
): string {
  const q = (text: string) => JSON.stringify(text);
  const users = specs.map((spec) => {
    const { password } = accounts.get(spec.user) as NatsUser;
    const p = spec.permissions;
    const permissions = p
      ? `, permissions: { publish: { allow: [${p.publish.map(q).join(', ')}] }, subscribe: { allow: [${p.subscribe.map(q).join(', ')}] }${p.allowResponses ? ', allow_responses: true' : ''} }`
      : '';
    const nkey = nkeyOf.get(spec.user);
    const identity = nkey ? `nkey: ${q(nkey)}` : `user: ${q(spec.user)}, password: ${q(password)}`;
    return `      { ${identity}${permissions} }`;
  });
  return [
    `listen: ${q(`127.0.0.1:${port}`)}`,
    // CAIRN_TEST_NATS_TRACE=<file>: every message in the log, which stop() writes there,
    // to see which subjects a client used (how agentNatsPermissions was worked out).
    ...(process.env.CAIRN_TEST_NATS_TRACE ? ['trace: true'] : []),
    `server_name: ${q(`cairn-test-${port}`)}`,
    `jetstream { store_dir: ${q(join(dir, 'jetstream'))}, max_memory_store: 64MB, max_file_store: 1GB }`,
    'accounts {',
    '  CAIRN {',
    '    jetstream: enabled',
    '    users: [',
    users.join(',\n'),
    '    ]',
    '  }',
    '}',
    '',
  ].join('\n');
}

/**
 * A credentials file as `nsc generate creds` writes it. The server runs without an operator,
 * so it checks the NKey's signature of its challenge and ignores the JWT: a placeholder
 * token stands in for one. The client reads both the same way either way.
 */
function credentials(seed: Uint8Array): string {
  return [
    '-----BEGIN NATS USER JWT-----',
    `${Buffer.from('{"typ":"JWT","alg":"ed25519-nkey"}').toString('base64url')}.e30.c2ln`,
    '------END NATS USER JWT------',
    '',
    '-----BEGIN USER NKEY SEED-----',
    new TextDecoder().decode(seed),
    '------END USER NKEY SEED------',
    '',
  ].join('\n');
}
