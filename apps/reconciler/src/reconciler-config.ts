import { isDnsLabel } from '@cairn/contracts';
import { defineServiceConfig, env } from '@cairn/runtime';

/** What the reconciler reads from its environment, checked once at startup. */
export class ReconcilerConfig extends defineServiceConfig(
  'reconciler',
  {
    CAIRN_RECONCILER_HOST: env.host('0.0.0.0'),
    CAIRN_RECONCILER_PORT: env.port(8082),
    CAIRN_NATS_URL: env.natsServers(),
    // Cluster names become NATS subject tokens, hence the DNS-1123 label rule.
    CAIRN_CLUSTERS: env.list('cluster names (DNS-1123 labels)', isDnsLabel),
  },
  (vars) => ({
    http: { host: vars.CAIRN_RECONCILER_HOST, port: vars.CAIRN_RECONCILER_PORT },
    natsServers: vars.CAIRN_NATS_URL,
    /** The clusters this process runs workers for; empty when CAIRN_CLUSTERS is unset. */
    clusters: vars.CAIRN_CLUSTERS,
  }),
) {}
