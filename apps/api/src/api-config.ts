import { defineServiceConfig, env } from '@cairn/runtime';

/** What the api reads from its environment, checked once at startup. */
export class ApiConfig extends defineServiceConfig(
  'api',
  {
    CAIRN_API_HOST: env.host('0.0.0.0'),
    CAIRN_API_PORT: env.port(8080),
    CAIRN_NATS_URL: env.natsServers(),
    CAIRN_DATABASE_URL: env.url('postgres://postgres@127.0.0.1:5432/cairn', [
      'postgres:',
      'postgresql:',
    ]),
  },
  (vars) => ({
    http: { host: vars.CAIRN_API_HOST, port: vars.CAIRN_API_PORT },
    natsServers: vars.CAIRN_NATS_URL,
    /** May hold a password: never log it. */
    databaseUrl: vars.CAIRN_DATABASE_URL,
  }),
) {}
