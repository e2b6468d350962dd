import { readFileSync } from 'node:fs';
import { request } from 'node:https';

export interface AdminCredentials {
  server: string;
  caCert: string;
  clientCert: string;
  clientKey: string;
}

export interface ApiResponse {
  status: number;
  body: string;
}

/**
 * Just enough of a Kubernetes client to tell when a new cluster is ready; the product
 * itself uses @kubernetes/client-node.
 */
export class AdminClient {
  private readonly tls: { ca: Buffer; cert: Buffer; key: Buffer };

  constructor(private readonly creds: AdminCredentials) {
    this.tls = {
      ca: readFileSync(creds.caCert),
      cert: readFileSync(creds.clientCert),
      key: readFileSync(creds.clientKey),
    };
  }

  send(method: string, path: string, body?: unknown): Promise<ApiResponse> {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const req = request(
        new URL(path, this.creds.server),
        {
          method,
          ...this.tls,
          timeout: 5_000,
          headers: payload ? { 'content-type': 'application/json' } : {},
        },
        (res) => {
          let text = '';
          res.on('data', (chunk: Buffer) => (text += chunk.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
        },
      );
      req.on('timeout', () => req.destroy(new Error(`timed out: ${method} ${path}`)));
      req.on('error', reject);
      req.end(payload);
    });
  }

  /** GET that resolves to the parsed body on 200 and to undefined otherwise. */
  async get<T>(path: string): Promise<T | undefined> {
    try {
      const res = await this.send('GET', path);
      return res.status === 200 ? (JSON.parse(res.body) as T) : undefined;
    } catch {
      return undefined;
    }
  }
}
