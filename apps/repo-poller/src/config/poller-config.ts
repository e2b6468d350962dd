import {
  defineServiceConfig,
  encryptionKeyVariable,
  env,
  natsSettings,
  natsVariables,
} from '@cairn/runtime';

/** What the repo-poller reads from its environment, checked once at startup. */
export class PollerConfig extends defineServiceConfig(
  'repo-poller',
  {
    CAIRN_POLLER_HOST: env.host('0.0.0.0'),
    CAIRN_POLLER_PORT: env.port(8081),
    ...natsVariables(),
    CAIRN_ENCRYPTION_KEY: encryptionKeyVariable(),
    CAIRN_POLL_INTERVAL_SECONDS: env.integer(15, { min: 1, max: 86_400 }),
    CAIRN_CACHE_DIR: env.path('.cairn/cache/git'),
  },
  (vars) => {
    const nats = natsSettings(vars);
    return {
      http: { host: vars.CAIRN_POLLER_HOST, port: vars.CAIRN_POLLER_PORT },
      natsServers: nats.servers,
      /** Root of every subject, stream and bucket (Topology). */
      natsPrefix: nats.prefix,
      /** Who the poller is to NATS (CAIRN_NATS_CREDENTIALS_FILE, _USER/_PASSWORD or _TOKEN). */
      natsAuth: nats.auth,
      /** Base64 key that opens repository passwords. Named `...Secret` so logs redact it. */
      encryptionSecret: vars.CAIRN_ENCRYPTION_KEY,
      /** Default interval; a repository may set its own. */
      pollIntervalSeconds: vars.CAIRN_POLL_INTERVAL_SECONDS,
      /** Absolute: where fetched repositories are kept between polls and restarts. */
      cacheDir: vars.CAIRN_CACHE_DIR,
    };
  },
) {}
