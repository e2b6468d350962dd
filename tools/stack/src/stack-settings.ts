import { join } from 'node:path';
import { workspaceRoot } from '@cairn/cluster';

export const SERVICES = ['api', 'repo-poller', 'reconciler'] as const;
export type ServiceName = (typeof SERVICES)[number];

/** Everything that differs between one running Cairn and another on the same machine. */
export interface StackSettings {
  /** Logs, pid files, git cache and the generated admin token live here. */
  stateDir: string;
  databaseUrl: string;
  natsUrl: string;
  /** Root of every subject, stream and bucket name: separates installations and test runs. */
  natsPrefix: string;
  encryptionKey: string;
  ports: Record<ServiceName, number>;
  /** Unset: the api generates one into <stateDir>/admin-token. */
  adminToken?: string;
  logLevel?: string;
  /** Extra variables per service (poll interval, clusters a reconciler serves, ...). */
  extraEnv?: Partial<Record<ServiceName, Record<string, string>>>;
}

export const adminTokenFile = (s: StackSettings) => join(s.stateDir, 'admin-token');

/** The environment a service runs with; its config class validates it at start. */
export function serviceEnvironment(service: ServiceName, s: StackSettings): Record<string, string> {
  const common: Record<string, string> = {
    CAIRN_NATS_URL: s.natsUrl,
    CAIRN_NATS_PREFIX: s.natsPrefix,
    CAIRN_ENCRYPTION_KEY: s.encryptionKey,
    CAIRN_LOG_LEVEL: s.logLevel ?? 'info',
  };
  const own: Record<ServiceName, Record<string, string>> = {
    api: {
      CAIRN_API_HOST: '127.0.0.1',
      CAIRN_API_PORT: String(s.ports.api),
      CAIRN_DATABASE_URL: s.databaseUrl,
      CAIRN_ADMIN_TOKEN_FILE: adminTokenFile(s),
      ...(s.adminToken ? { CAIRN_ADMIN_TOKEN: s.adminToken } : {}),
    },
    'repo-poller': {
      CAIRN_POLLER_HOST: '127.0.0.1',
      CAIRN_POLLER_PORT: String(s.ports['repo-poller']),
      CAIRN_CACHE_DIR: join(s.stateDir, 'cache', 'git'),
    },
    reconciler: {
      CAIRN_RECONCILER_HOST: '127.0.0.1',
      CAIRN_RECONCILER_PORT: String(s.ports.reconciler),
    },
  };
  return { ...common, ...own[service], ...s.extraEnv?.[service] };
}

/** The built service: `nx build <service>` writes it there. */
export function serviceEntry(service: ServiceName): string {
  return join(workspaceRoot(), 'dist', 'apps', service, 'main.js');
}

export const serviceUrl = (s: StackSettings, service: ServiceName) =>
  `http://127.0.0.1:${s.ports[service]}`;
