import { defineServiceConfig, env, natsSettings, natsVariables } from '@cairn/runtime';
import { adminToken, encryptionKey } from './variables';

/** What the api reads from its environment, checked once at startup. */
export class ApiConfig extends defineServiceConfig(
  'api',
  {
    CAIRN_API_HOST: env.host('0.0.0.0'),
    CAIRN_API_PORT: env.port(8080),
    ...natsVariables(),
    CAIRN_DATABASE_URL: env.url('postgres://postgres@127.0.0.1:5432/cairn', [
      'postgres:',
      'postgresql:',
    ]),
    CAIRN_ENCRYPTION_KEY: encryptionKey(),
    CAIRN_ADMIN_TOKEN: adminToken(),
    CAIRN_ADMIN_TOKEN_FILE: env.path('.cairn/admin-token'),
  },
  (vars) => {
    const nats = natsSettings(vars);
    return {
      http: { host: vars.CAIRN_API_HOST, port: vars.CAIRN_API_PORT },
      natsServers: nats.servers,
      /** Who the api is to NATS (CAIRN_NATS_CREDENTIALS_FILE, _USER/_PASSWORD or _TOKEN). */
      natsAuth: nats.auth,
      /** Root of every subject, stream and bucket name (see Topology). */
      topologyRoot: nats.prefix,
      /** May hold a password: never log it. */
      databaseUrl: vars.CAIRN_DATABASE_URL,
      /** Base64 of the SecretBox key: never log it. */
      encryptionKey: vars.CAIRN_ENCRYPTION_KEY,
      /** Set: the only token accepted. Unset: one is generated into adminTokenFile. */
      adminToken: vars.CAIRN_ADMIN_TOKEN,
      adminTokenFile: vars.CAIRN_ADMIN_TOKEN_FILE,
    };
  },
) {}
