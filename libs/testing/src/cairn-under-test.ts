import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CairnClient } from '@cairn/client';
import { freePorts } from '@cairn/cluster';
import { SecretBox } from '@cairn/secrets';
import {
  buildServices,
  type RunningStack,
  runStack,
  SERVICES,
  type ServiceName,
  type StackSettings,
} from '@cairn/stack';
import { GitServer } from './git-server';
import { createDatabase, dropDatabase } from './postgres-database';
import type { TestInfra } from './test-infra';
import { uniqueName } from './unique-name';

export interface CairnUnderTest {
  stack: RunningStack;
  /** A REST client holding the admin token. */
  cairn: CairnClient;
  /** The api's base URL, for requests the client does not make (no token, bad bodies). */
  apiUrl: string;
  git: GitServer;
  settings: StackSettings;
  stop(): Promise<void>;
}

/**
 * The built services, started as a user would start them, against this run's real
 * infrastructure: a database of their own, a NATS root of their own (so they never see
 * another test's messages), and a git server. For end-to-end tests and benchmarks.
 */
export interface StartCairnOptions {
  pollIntervalSeconds?: number;
  /** Which services to run; all three by default (an agent test runs no reconciler). */
  services?: readonly ServiceName[];
  /** Root of every NATS name; by default one of its own under the run's prefix. */
  natsPrefix?: string;
  /** Variables every service gets, e.g. its NATS credentials for a server of the test's own. */
  env?: Record<string, string>;
}

export async function startCairn(
  infra: TestInfra,
  opts: StartCairnOptions = {},
): Promise<CairnUnderTest> {
  buildServices();
  const id = uniqueName('e2e').replace(/-/g, '_');
  const adminUrl = new URL(infra.databaseUrl);
  adminUrl.pathname = '/postgres';
  const databaseUrl = await createDatabase(adminUrl.toString(), `cairn_${id}`);
  const stateDir = await mkdtemp(join(tmpdir(), 'cairn-e2e-'));
  const [api, poller, reconciler] = await freePorts(3);
  const adminToken = randomBytes(24).toString('base64url');
  const settings: StackSettings = {
    stateDir,
    databaseUrl,
    natsUrl: infra.natsUrl,
    natsPrefix: opts.natsPrefix ?? `${infra.natsPrefix}_${id}`,
    encryptionKey: SecretBox.generateKey(),
    ports: { api, 'repo-poller': poller, reconciler },
    adminToken,
    logLevel: 'debug',
    extraEnv: {
      api: { ...opts.env },
      'repo-poller': {
        ...opts.env,
        CAIRN_POLL_INTERVAL_SECONDS: String(opts.pollIntervalSeconds ?? 15),
      },
      reconciler: { ...opts.env },
    },
  };
  const git = await GitServer.start();
  let stack: RunningStack;
  try {
    stack = await runStack(settings, opts.services ?? SERVICES);
  } catch (err) {
    await git.stop();
    throw new Error(`${(err as Error).message}; logs in ${stateDir}/logs`);
  }
  const apiUrl = stack.url('api');
  return {
    stack,
    cairn: new CairnClient(apiUrl, adminToken),
    apiUrl,
    git,
    settings,
    stop: async () => {
      await stack.stop();
      await git.stop();
      await dropDatabase(adminUrl.toString(), `cairn_${id}`);
      if (!process.env.CAIRN_KEEP_E2E_LOGS) await rm(stateDir, { recursive: true, force: true });
    },
  };
}
