import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  isRunning,
  recordedProcesses,
  residentBytes,
  startComponent,
  stopComponents,
  workspaceRoot,
} from '@cairn/cluster';
import { SecretBox } from '@cairn/secrets';
import { Client } from 'pg';
import { buildServices, waitUntilReady } from './service-readiness';
import {
  SERVICES,
  serviceEntry,
  serviceEnvironment,
  serviceUrl,
  type StackSettings,
} from './stack-settings';

/**
 * The stack as a developer runs it on a laptop: three detached processes that outlive the
 * command, logging to .cairn/logs, against the machine's PostgreSQL and NATS.
 */
export function localStackSettings(env: NodeJS.ProcessEnv = process.env): StackSettings {
  const stateDir = join(workspaceRoot(), '.cairn');
  return {
    stateDir,
    databaseUrl: env.CAIRN_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/cairn',
    natsUrl: env.CAIRN_NATS_URL ?? 'nats://127.0.0.1:4222',
    natsPrefix: env.CAIRN_NATS_PREFIX ?? 'cairn',
    encryptionKey: env.CAIRN_ENCRYPTION_KEY ?? localEncryptionKey(stateDir),
    ports: {
      api: Number(env.CAIRN_API_PORT ?? 8080),
      'repo-poller': Number(env.CAIRN_POLLER_PORT ?? 8081),
      reconciler: Number(env.CAIRN_RECONCILER_PORT ?? 8082),
    },
    adminToken: env.CAIRN_ADMIN_TOKEN,
    extraEnv: env.CAIRN_POLL_INTERVAL_SECONDS
      ? { 'repo-poller': { CAIRN_POLL_INTERVAL_SECONDS: env.CAIRN_POLL_INTERVAL_SECONDS } }
      : undefined,
  };
}

/** One key per checkout, made on first use and kept, so what was sealed stays readable. */
function localEncryptionKey(stateDir: string): string {
  const file = join(stateDir, 'encryption-key');
  if (!existsSync(file)) {
    mkdirSync(stateDir, { recursive: true });
    writeFileSync(file, `${SecretBox.generateKey()}\n`, { mode: 0o600 });
  }
  return readFileSync(file, 'utf8').trim();
}

const layout = (s: StackSettings) => ({
  logs: join(s.stateDir, 'logs'),
  pids: join(s.stateDir, 'stack'),
});

async function ensureDatabase(databaseUrl: string): Promise<void> {
  const url = new URL(databaseUrl);
  const name = decodeURIComponent(url.pathname.slice(1));
  url.pathname = '/postgres';
  const client = new Client({ connectionString: url.toString() });
  await client.connect();
  try {
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (exists.rowCount === 0) await client.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
  } finally {
    await client.end();
  }
}

export async function stackUp(settings = localStackSettings()): Promise<void> {
  buildServices();
  await ensureDatabase(settings.databaseUrl);
  const dirs = layout(settings);
  for (const dir of Object.values(dirs)) mkdirSync(dir, { recursive: true });
  const running = new Set(
    recordedProcesses(dirs)
      .filter((p) => isRunning(p.pid, p.binary))
      .map((p) => p.component),
  );
  for (const service of SERVICES) {
    if (running.has(service)) continue;
    const pid = startComponent(dirs, service, process.execPath, [serviceEntry(service)], {
      ...process.env,
      ...serviceEnvironment(service, settings),
    });
    await waitUntilReady(service, serviceUrl(settings, service), () =>
      isRunning(pid, process.execPath),
    );
  }
}

export async function stackDown(settings = localStackSettings()): Promise<void> {
  // The api goes last: it records what the others report while they drain.
  await stopComponents(layout(settings), ['repo-poller', 'reconciler', 'api']);
}

export function stackStatus(settings = localStackSettings()) {
  return recordedProcesses(layout(settings)).map((p) => {
    const running = isRunning(p.pid, p.binary);
    return {
      service: p.component,
      pid: p.pid,
      running,
      residentBytes: running ? residentBytes(p.pid) : 0,
      url: serviceUrl(settings, p.component as never),
    };
  });
}
