import { readFileSync, writeFileSync } from 'node:fs';
import { stringify } from 'yaml';

const b64 = (file: string) => readFileSync(file).toString('base64');

/** Writes an admin kubeconfig that embeds its certificates, so it can be copied anywhere. */
export function writeKubeconfig(
  path: string,
  opts: { name: string; server: string; caCert: string; clientCert: string; clientKey: string },
): void {
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name: opts.name,
        cluster: { server: opts.server, 'certificate-authority-data': b64(opts.caCert) },
      },
    ],
    users: [
      {
        name: `${opts.name}-admin`,
        user: {
          'client-certificate-data': b64(opts.clientCert),
          'client-key-data': b64(opts.clientKey),
        },
      },
    ],
    contexts: [{ name: opts.name, context: { cluster: opts.name, user: `${opts.name}-admin` } }],
    'current-context': opts.name,
  };
  writeFileSync(path, stringify(config), { mode: 0o600 });
}
