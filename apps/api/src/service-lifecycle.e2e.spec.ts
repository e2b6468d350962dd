import { type ChildProcessByStdio, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { testInfra, uniqueName } from '@cairn/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  createScratchDatabase,
  generateEncryptionKey,
  topologyRootFor,
} from './testing/api-test-app';

/**
 * Every Cairn service starts, logs, serves its probes and stops the same way, because
 * @cairn/runtime does it for them; this suite checks each one as its users run it, from
 * the webpack bundle: `node dist/apps/<app>/main.js`. One suite for the three services,
 * here, rather than three copies of it.
 */

const WORKSPACE = fileURLToPath(new URL('../../..', import.meta.url));
const BUILD_TIMEOUT_MS = 600_000;
const START_TIMEOUT_MS = 30_000;
const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'];

const SERVICES = [
  { app: 'api', hostVariable: 'CAIRN_API_HOST', portVariable: 'CAIRN_API_PORT' },
  { app: 'repo-poller', hostVariable: 'CAIRN_POLLER_HOST', portVariable: 'CAIRN_POLLER_PORT' },
  {
    app: 'reconciler',
    hostVariable: 'CAIRN_RECONCILER_HOST',
    portVariable: 'CAIRN_RECONCILER_PORT',
  },
];

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  at: number;
}

/** A built service running as a child process, its output collected line by line. */
class ServiceProcess {
  readonly stdout: string[] = [];
  readonly stderr: string[] = [];
  /** Settles once the process is gone and all its output has been read. */
  readonly exited: Promise<Exit>;

  constructor(
    readonly app: string,
    private readonly child: ChildProcessByStdio<null, Readable, Readable>,
  ) {
    createInterface({ input: child.stdout }).on('line', (line) => this.stdout.push(line));
    createInterface({ input: child.stderr }).on('line', (line) => this.stderr.push(line));
    this.exited = new Promise((resolve) => {
      child.once('close', (code, signal) => resolve({ code, signal, at: Date.now() }));
    });
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  kill(signal: NodeJS.Signals): void {
    this.child.kill(signal);
  }

  /** Every stdout line parsed as JSON; fails naming the first line that is not. */
  records(): Record<string, unknown>[] {
    return this.stdout.map((line) => {
      try {
        return JSON.parse(line) as Record<string, unknown>;
      } catch {
        throw new Error(`${this.app} wrote a line to stdout that is not JSON: ${line}`);
      }
    });
  }

  async waitUntilHealthy(url: string): Promise<void> {
    const deadline = Date.now() + START_TIMEOUT_MS;
    while (Date.now() < deadline) {
      if (!this.running)
        throw new Error(`${this.app} exited before it was healthy\n${this.output()}`);
      const status = await fetch(url).then(
        (response) => response.status,
        () => undefined,
      );
      if (status === 200) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`${this.app} not healthy within ${START_TIMEOUT_MS} ms\n${this.output()}`);
  }

  output(): string {
    return [...this.stdout, ...this.stderr.map((line) => `stderr: ${line}`)].join('\n');
  }
}

const started: ServiceProcess[] = [];

/**
 * What every service needs from its surroundings: the run's NATS under a prefix of this
 * file's own, a database of its own (the api migrates it), a generated encryption key, and
 * a place for the api's generated admin token.
 */
let infrastructure: Record<string, string> = {};
let cleanUp: () => Promise<void> = async () => undefined;

beforeAll(async () => {
  const { databaseUrl, natsUrl, natsPrefix } = testInfra();
  const database = await createScratchDatabase(databaseUrl, 'lifecycle');
  const stateDir = await mkdtemp(join(tmpdir(), 'cairn-lifecycle-'));
  infrastructure = {
    CAIRN_NATS_URL: natsUrl,
    CAIRN_NATS_PREFIX: topologyRootFor(natsPrefix, uniqueName('lifecycle')),
    CAIRN_DATABASE_URL: database.url,
    CAIRN_ENCRYPTION_KEY: generateEncryptionKey(),
    CAIRN_ADMIN_TOKEN_FILE: join(stateDir, 'admin-token'),
  };
  cleanUp = async () => {
    await database.drop();
    await rm(stateDir, { recursive: true, force: true });
  };
});

afterAll(() => cleanUp());

function startService(app: string, environment: Record<string, string>): ServiceProcess {
  const child = spawn(process.execPath, [join(WORKSPACE, 'dist/apps', app, 'main.js')], {
    cwd: WORKSPACE,
    env: { ...process.env, CAIRN_LOG_LEVEL: 'info', ...infrastructure, ...environment },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const service = new ServiceProcess(app, child);
  started.push(service);
  return service;
}

/** Nx's cache makes this quick when the bundle is current; a stale bundle would lie. */
function buildService(app: string): void {
  const build = spawnSync('npx', ['nx', 'build', app, '--outputStyle=static'], {
    cwd: WORKSPACE,
    encoding: 'utf8',
    timeout: BUILD_TIMEOUT_MS,
  });
  if (build.status !== 0) {
    throw new Error(
      `npx nx build ${app} failed (${build.status}):\n${build.stdout}\n${build.stderr}`,
    );
  }
}

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  server.close();
  await once(server, 'close');
  return port;
}

afterEach(() => {
  for (const service of started.splice(0)) if (service.running) service.kill('SIGKILL');
});

for (const { app, hostVariable, portVariable } of SERVICES) {
  describe(`${app}, run from its bundle`, () => {
    beforeAll(() => buildService(app), BUILD_TIMEOUT_MS);

    async function startHealthy(): Promise<{
      service: ServiceProcess;
      port: number;
      baseUrl: string;
    }> {
      const port = await freePort();
      const service = startService(app, { [hostVariable]: '127.0.0.1', [portVariable]: `${port}` });
      const baseUrl = `http://127.0.0.1:${port}`;
      await service.waitUntilHealthy(`${baseUrl}/healthz`);
      return { service, port, baseUrl };
    }

    it('serves /healthz, /readyz and /metrics, and logs nothing but JSON lines', async () => {
      const { service, port, baseUrl } = await startHealthy();

      const health = await fetch(`${baseUrl}/healthz`);
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({ status: 'ok' });
      // Ready comes after live: a service connects to NATS and loads the registry after it listens.
      await expect
        .poll(async () => (await fetch(`${baseUrl}/readyz`)).status, { timeout: 15_000 })
        .toBe(200);
      const readiness = await fetch(`${baseUrl}/readyz`);
      expect(await readiness.json()).toMatchObject({ status: 'ok' });
      const metrics = await fetch(`${baseUrl}/metrics`);
      expect(metrics.status).toBe(200);
      expect(await metrics.text()).toMatch(/^process_cpu_seconds_total \d/m);

      const records = service.records();
      for (const record of records) {
        expect(record).toMatchObject({ service: app, msg: expect.any(String) });
        expect(LOG_LEVELS).toContain(record.level);
      }
      // Nest's own lines come through the JSON logger too.
      expect(records).toContainEqual(
        expect.objectContaining({ context: 'NestApplication', level: 'info' }),
      );
      expect(records).toContainEqual(
        expect.objectContaining({ msg: 'listening', host: '127.0.0.1', port }),
      );
      expect(service.stderr).toEqual([]);
    });

    it('exits 0 within 5 s of SIGTERM, saying so, and frees its port', async () => {
      const { service, baseUrl } = await startHealthy();

      const sentAt = Date.now();
      service.kill('SIGTERM');
      const exit = await service.exited;

      expect({ code: exit.code, signal: exit.signal }).toEqual({ code: 0, signal: null });
      expect(exit.at - sentAt).toBeLessThan(5_000);
      const records = service.records();
      expect(records).toContainEqual(
        expect.objectContaining({ level: 'info', msg: 'shutting down', signal: 'SIGTERM' }),
      );
      expect(records.at(-1)).toMatchObject({ level: 'info', msg: 'stopped', exitCode: 0 });
      await expect(fetch(`${baseUrl}/healthz`)).rejects.toThrow();
    });

    it(`refuses to start when ${portVariable} is not a port, naming the variable`, async () => {
      const service = startService(app, { [portVariable]: 'abc' });
      const exit = await service.exited;

      expect(exit.code).toBe(1);
      expect(service.records()).toEqual([
        expect.objectContaining({
          level: 'fatal',
          service: app,
          msg: expect.stringContaining(
            `${portVariable}: expected a port number 1-65535, got "abc"`,
          ),
        }),
      ]);
    });
  });
}

describe('api, run from its bundle: the admin token', () => {
  beforeAll(() => buildService('api'), BUILD_TIMEOUT_MS);

  it('is generated on first start, logged by path only, and required by /api/v1', async () => {
    // A file no earlier start has written.
    const tokenFile = join(infrastructure.CAIRN_ADMIN_TOKEN_FILE, '..', 'first-start', 'token');
    const port = await freePort();
    const service = startService('api', {
      CAIRN_API_HOST: '127.0.0.1',
      CAIRN_API_PORT: `${port}`,
      CAIRN_ADMIN_TOKEN_FILE: tokenFile,
    });
    const baseUrl = `http://127.0.0.1:${port}`;
    await service.waitUntilHealthy(`${baseUrl}/healthz`);

    const token = (await readFile(tokenFile, 'utf8')).trim();
    const applications = (authorization?: string) =>
      fetch(`${baseUrl}/api/v1/applications`, {
        headers: authorization ? { authorization } : {},
      });
    expect((await applications(`Bearer ${token}`)).status).toBe(200);
    expect((await applications()).status).toBe(401);
    expect((await applications('Bearer not-the-token')).status).toBe(401);
    expect(service.records()).toContainEqual(
      expect.objectContaining({ msg: `admin token written to ${tokenFile}` }),
    );
    expect(service.output()).not.toContain(token);
  });
});
