import { isDnsLabel } from '@cairn/contracts';
import { defineServiceConfig, env } from '@cairn/runtime';
import { encryptionKeyVariable, natsPrefixVariable } from './shared-variables';

/** What the reconciler reads from its environment, checked once at startup. */
export class ReconcilerConfig extends defineServiceConfig(
  'reconciler',
  {
    CAIRN_RECONCILER_HOST: env.host('0.0.0.0'),
    CAIRN_RECONCILER_PORT: env.port(8082),
    CAIRN_NATS_URL: env.natsServers(),
    CAIRN_NATS_PREFIX: natsPrefixVariable(),
    CAIRN_ENCRYPTION_KEY: encryptionKeyVariable(),
    // Cluster names become NATS subject tokens, hence the DNS-1123 label rule.
    CAIRN_CLUSTERS: env.list('cluster names (DNS-1123 labels)', isDnsLabel),
    CAIRN_RESYNC_SECONDS: env.integer(600, { min: 1 }),
  },
  (vars) => ({
    http: { host: vars.CAIRN_RECONCILER_HOST, port: vars.CAIRN_RECONCILER_PORT },
    natsServers: vars.CAIRN_NATS_URL,
    /** Root of every subject, stream and bucket (`new Topology(natsPrefix)`). */
    natsPrefix: vars.CAIRN_NATS_PREFIX,
    /** Opens the sealed cluster credentials of the registry; holds the key, never log it. */
    secretBox: vars.CAIRN_ENCRYPTION_KEY,
    /**
     * The clusters this process runs workers for; empty when CAIRN_CLUSTERS is unset, which
     * means every registered cluster in `direct` mode.
     */
    clusters: vars.CAIRN_CLUSTERS,
    /**
     * How often every app is compared again with the live cache, which is kept by watches:
     * a safety net for anything a watch event did not set off (a revert held back, a failed
     * prune to retry). It asks nothing of the API server.
     */
    resyncSeconds: vars.CAIRN_RESYNC_SECONDS,
  }),
) {}
