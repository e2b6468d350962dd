import { spawn } from 'node:child_process';
import { timingSafeEqual } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A real git server over smart HTTP for tests and the demo: node:http in front of git's own
 * `git http-backend` CGI, so clients talk to exactly what a git host runs, including push,
 * protocol v2 and gzip-compressed request bodies.
 */

const HTTP_BACKEND = process.env.CAIRN_GIT_HTTP_BACKEND ?? '/usr/lib/git-core/git-http-backend';

export interface GitServerOptions {
  /** Directory holding the bare repositories; a temporary one (removed on stop) if absent. */
  root?: string;
  /** 0 or absent: any free port. */
  port?: number;
  /** When set, every request needs these credentials (HTTP basic auth). */
  auth?: { username: string; password: string };
}

export class GitServer {
  private constructor(
    /** Base URL, e.g. http://127.0.0.1:41234; a repository `x` is at `${url}/x.git`. */
    readonly url: string,
    readonly root: string,
    readonly auth: GitServerOptions['auth'],
    private readonly close: () => Promise<void>,
  ) {}

  static async start(options: GitServerOptions = {}): Promise<GitServer> {
    const ownsRoot = !options.root;
    const root = options.root ?? (await mkdtemp(join(tmpdir(), 'cairn-git-')));
    const server = createServer((req, res) => {
      if (!isAuthorized(req, options.auth)) {
        // git only sends credentials after a 401 that names the scheme.
        res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="cairn"' }).end('Unauthorized\n');
        return;
      }
      runHttpBackend(root, req, res, options.auth?.username);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, '127.0.0.1', resolve);
    });
    const { port } = server.address() as AddressInfo;
    return new GitServer(`http://127.0.0.1:${port}`, root, options.auth, async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (ownsRoot) await rm(root, { recursive: true, force: true });
    });
  }

  async stop(): Promise<void> {
    await this.close();
  }
}

function isAuthorized(req: IncomingMessage, auth: GitServerOptions['auth']): boolean {
  if (!auth) return true;
  const header = req.headers.authorization ?? '';
  if (!header.startsWith('Basic ')) return false;
  const given = Buffer.from(header.slice('Basic '.length), 'base64');
  const expected = Buffer.from(`${auth.username}:${auth.password}`);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** Runs one request through `git http-backend` (CGI/1.1), streaming both bodies. */
function runHttpBackend(
  root: string,
  req: IncomingMessage,
  res: ServerResponse,
  user?: string,
): void {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const header = (name: string) => req.headers[name] as string | undefined;
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    GIT_PROJECT_ROOT: root,
    GIT_HTTP_EXPORT_ALL: '1',
    // Keep the developer's own git configuration out of the server.
    GIT_CONFIG_NOSYSTEM: '1',
    HOME: root,
    REQUEST_METHOD: req.method ?? 'GET',
    PATH_INFO: decodeURIComponent(url.pathname),
    QUERY_STRING: url.search.slice(1),
    REMOTE_ADDR: req.socket.remoteAddress ?? '127.0.0.1',
    ...(user && { REMOTE_USER: user }),
    ...(header('content-type') && { CONTENT_TYPE: header('content-type') }),
    // Without a length (chunked upload) http-backend reads the body until EOF.
    ...(header('content-length') && { CONTENT_LENGTH: header('content-length') }),
    // http-backend gunzips the body itself when told the encoding.
    ...(header('content-encoding') && { HTTP_CONTENT_ENCODING: header('content-encoding') }),
    // Protocol v2 is negotiated through this header.
    ...(header('git-protocol') && { HTTP_GIT_PROTOCOL: header('git-protocol') }),
  };
  const cgi = spawn(HTTP_BACKEND, [], { env, stdio: ['pipe', 'pipe', 'pipe'] });
  const stderr: Buffer[] = [];
  cgi.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
  cgi.on('error', (error) => fail(res, `cannot run ${HTTP_BACKEND}: ${error.message}`));
  cgi.on('close', (code) => {
    if (code !== 0 && stderr.length) console.error(`git http-backend: ${Buffer.concat(stderr)}`);
    if (!res.headersSent) fail(res, `git http-backend exited with ${code} before answering`);
  });
  req.pipe(cgi.stdin);
  // A client that hangs up mid-upload must not crash the server with EPIPE.
  cgi.stdin.on('error', () => undefined);

  // The CGI answer is "Header: value" lines, a blank line, then the body.
  let head = Buffer.alloc(0);
  const onData = (chunk: Buffer) => {
    head = Buffer.concat([head, chunk]);
    const end = headerEnd(head);
    if (!end) return;
    cgi.stdout.off('data', onData);
    const { status, headers } = parseCgiHeaders(head.subarray(0, end.start).toString('latin1'));
    res.writeHead(status, headers);
    res.write(head.subarray(end.bodyStart));
    cgi.stdout.pipe(res);
  };
  cgi.stdout.on('data', onData);
}

/** Where the CGI header block ends; CGI allows LF or CRLF line ends, so take the first blank line. */
function headerEnd(buffer: Buffer): { start: number; bodyStart: number } | undefined {
  const ends = [
    { start: buffer.indexOf('\r\n\r\n'), length: 4 },
    { start: buffer.indexOf('\n\n'), length: 2 },
  ].filter((end) => end.start >= 0);
  if (ends.length === 0) return undefined;
  const first = ends.reduce((a, b) => (b.start < a.start ? b : a));
  return { start: first.start, bodyStart: first.start + first.length };
}

function parseCgiHeaders(text: string): { status: number; headers: Record<string, string> } {
  let status = 200;
  const headers: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim();
    const value = line.slice(colon + 1).trim();
    if (name.toLowerCase() === 'status') status = Number.parseInt(value, 10);
    else headers[name] = value;
  }
  return { status, headers };
}

function fail(res: ServerResponse, message: string): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(500, { 'Content-Type': 'text/plain' }).end(`${message}\n`);
}
