import { type Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent, request as httpsRequest, type RequestOptions } from 'node:https';
import { createInterface } from 'node:readline';
import type { KubeConfig } from '@kubernetes/client-node';
import { isConnectionError } from './cluster-connection';
import { KubeApiError } from './kube-api-error';

export type Query = Record<string, string | number | boolean | undefined>;

export interface RequestOptionsJson {
  query?: Query;
  body?: unknown;
  contentType?: string;
  /** Says whose request failed: `Deployment shop/web`, `list of apps/v1 Deployment`. */
  subject?: string;
}

const REQUEST_TIMEOUT_MS = 30_000;
/** A readiness probe is small: a server that takes longer is not one to send work to. */
const PROBE_TIMEOUT_MS = 5_000;

export interface KubeHttpOptions {
  /** Told of every request that got no answer at all (refused, reset, timed out). */
  onUnanswered?: (error: Error) => void;
}

/**
 * Raw JSON requests to one API server, with the kubeconfig's credentials and one kept-alive
 * connection pool. Raw because a diff must see objects exactly as the server sends them:
 * client-node's typed models turn times into Dates and drop fields they do not know. Every
 * request has a timeout, so a server that hangs fails its requests instead of holding them.
 */
export class KubeHttp {
  private agent?: Agent | HttpAgent;

  constructor(
    private readonly kubeconfig: KubeConfig,
    private readonly options: KubeHttpOptions = {},
  ) {}

  get server(): string {
    const server = this.kubeconfig.getCurrentCluster()?.server;
    if (!server) throw new Error('kubeconfig: the current context names no cluster');
    return server;
  }

  /** The parsed JSON body of a 2xx answer; a KubeApiError with the server's message otherwise. */
  async json<T>(method: string, path: string, opts: RequestOptionsJson = {}): Promise<T> {
    const payload = opts.body === undefined ? undefined : JSON.stringify(opts.body);
    const headers: Record<string, string> = { accept: 'application/json' };
    if (payload !== undefined) {
      headers['content-type'] = opts.contentType ?? 'application/json';
      headers['content-length'] = String(Buffer.byteLength(payload));
    }
    const { res, text } = await this.answered(async () => {
      const res = await this.send(method, path, opts.query, headers, payload, REQUEST_TIMEOUT_MS);
      return { res, text: await readAll(res) };
    });
    if (!isOk(res)) throw apiError(res.statusCode ?? 0, text, opts.subject ?? `${method} ${path}`);
    return (text ? JSON.parse(text) : {}) as T;
  }

  /**
   * A watch: calls `onEvent` with each JSON line until the server ends the stream (resolves)
   * or it breaks (rejects; a KubeApiError when the server refused it). `idleMs` without a
   * byte counts as broken: a connection that died silently is noticed.
   */
  async stream(
    path: string,
    query: Query,
    onEvent: (event: unknown) => void,
    opts: { signal: AbortSignal; idleMs: number; subject: string },
  ): Promise<void> {
    const res = await this.answered(
      () =>
        this.send(
          'GET',
          path,
          query,
          { accept: 'application/json' },
          undefined,
          opts.idleMs,
          opts.signal,
        ),
      opts.signal,
    );
    if (!isOk(res)) throw apiError(res.statusCode ?? 0, await readAll(res), opts.subject);
    await this.answered(() => this.readLines(res, onEvent, opts.subject), opts.signal);
  }

  /**
   * Asks the server whether it is ready (GET /readyz, a few seconds at most); resolves if it
   * is, rejects saying why not. A server that answers 401, 403 or 404 (no access to the
   * endpoint) is up: only no answer, 429 and 5xx count as not ready.
   */
  async probeReadiness(): Promise<void> {
    const res = await this.send('GET', '/readyz', undefined, {}, undefined, PROBE_TIMEOUT_MS);
    const text = await readAll(res);
    const status = res.statusCode ?? 0;
    if (status >= 500 || status === 429) {
      // Its body lists each check; the failing ones start with [-].
      const failing = text.split('\n').filter((line) => line.startsWith('[-]'));
      throw new Error(
        `not ready (GET /readyz answered ${status}${failing.length ? `: ${failing.join(', ').slice(0, 300)}` : ''})`,
      );
    }
  }

  /** Runs a request, telling `onUnanswered` when it got no answer (unless it was called off). */
  private async answered<T>(request: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    try {
      return await request();
    } catch (error) {
      if (!signal?.aborted && isConnectionError(error)) this.options.onUnanswered?.(error as Error);
      throw error;
    }
  }

  private readLines(
    res: IncomingMessage,
    onEvent: (event: unknown) => void,
    subject: string,
  ): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const lines = createInterface({ input: res, crlfDelay: Infinity });
      lines.on('line', (line) => {
        if (line.trim() === '') return;
        try {
          onEvent(JSON.parse(line));
        } catch (error) {
          res.destroy(error as Error);
        }
      });
      res.on('error', reject);
      lines.on('error', reject);
      res.on('aborted', () =>
        reject(withCode(new Error(`${subject}: the watch connection was cut`), 'ECONNRESET')),
      );
      lines.on('close', () => (res.errored ? reject(res.errored) : resolve()));
    });
  }

  private async send(
    method: string,
    path: string,
    query: Query | undefined,
    headers: Record<string, string>,
    payload: string | undefined,
    timeoutMs: number,
    signal?: AbortSignal,
  ): Promise<IncomingMessage> {
    const url = new URL(this.server.replace(/\/$/, '') + path);
    for (const [key, value] of Object.entries(query ?? {}))
      if (value !== undefined) url.searchParams.set(key, String(value));
    const options: RequestOptions = { method, headers };
    await this.kubeconfig.applyToHTTPSOptions(options);
    // One pool per client: a TLS handshake per request would dominate small requests.
    this.agent ??=
      options.agent instanceof Agent
        ? new Agent({ ...options.agent.options, keepAlive: true })
        : undefined;
    if (this.agent) options.agent = this.agent;
    const send = url.protocol === 'http:' ? httpRequest : httpsRequest;
    return new Promise<IncomingMessage>((resolve, reject) => {
      const req = send(url, { ...options, signal }, resolve);
      req.setTimeout(timeoutMs, () =>
        req.destroy(
          withCode(
            new Error(
              `${method} ${url.pathname}: no answer from the API server in ${timeoutMs / 1000} s`,
            ),
            'ETIMEDOUT',
          ),
        ),
      );
      req.on('error', reject);
      req.end(payload);
    });
  }
}

function withCode(error: Error, code: string): Error {
  return Object.assign(error, { code });
}

function isOk(res: IncomingMessage): boolean {
  const status = res.statusCode ?? 0;
  return status >= 200 && status < 300;
}

async function readAll(res: IncomingMessage): Promise<string> {
  let text = '';
  for await (const chunk of res) text += (chunk as Buffer).toString();
  return text;
}

/** The server's Status message, which names the field at fault; the raw text if it is not JSON. */
function apiError(status: number, text: string, subject: string): KubeApiError {
  let message = text.trim() || `HTTP ${status}`;
  try {
    const body = JSON.parse(text) as { message?: string };
    if (body?.message) message = body.message;
  } catch {
    // not JSON: keep the text
  }
  return new KubeApiError(status, `${subject}: ${message}`);
}
