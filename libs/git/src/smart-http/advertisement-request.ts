import type { GitCredentials } from '../credentials';
import { GitError, httpStatusError } from '../git-error';
import { redactUrl } from '../repository-url';
import { STATUS_CODES } from 'node:http';
import { Agent, errors, request } from 'undici';

/**
 * One `GET <repo>/info/refs?service=git-upload-pack` over connections kept open between
 * polls (undici's pool: far cheaper per request than node:http): with a thousand
 * repositories on a few hosts, a poll is one request on a warm socket instead of a TCP
 * (and TLS) handshake. Credentials, when known, go with the first request (basic auth),
 * which saves the 401 round trip git would make.
 */

const ADVERTISEMENT_TYPE = 'application/x-git-upload-pack-advertisement';
/** A repository is user input: an answer past this is refused, not buffered. */
const MAX_BYTES = 64 * 1024 * 1024;
const MAX_REDIRECTS = 5;
/** Sockets stay open between polls (a poll interval is seconds), and a silent server is given up on. */
const connections = new Agent({
  keepAliveTimeout: 60_000,
  keepAliveMaxTimeout: 300_000,
  headersTimeout: 30_000,
  bodyTimeout: 30_000,
  maxResponseSize: MAX_BYTES,
});

export async function requestRefAdvertisement(
  url: string,
  auth?: GitCredentials,
): Promise<{ body: Buffer; where: string }> {
  const { repository, advertisement, where, credentialsInUrl } = targetOf(url);
  const credentials = auth ?? credentialsInUrl;
  let target = advertisement;
  for (let redirects = 0; ; redirects++) {
    // Credentials only ever go to the origin they were registered for.
    const authorization =
      credentials && target.origin === repository.origin ? basic(credentials) : undefined;
    const { status, location, type, body } = await send(target, authorization, where);
    if (status >= 300 && status < 400 && location && redirects < MAX_REDIRECTS) {
      target = new URL(location, target);
      continue;
    }
    if (status !== 200) throw httpStatusError(status, STATUS_CODES[status] ?? '', url);
    if (!type?.startsWith(ADVERTISEMENT_TYPE)) {
      throw new GitError(
        'GitOperationFailed',
        `${where} is not a git smart-HTTP server (it answered ${type ?? 'no content type'} for info/refs)`,
      );
    }
    return { body, where };
  }
}

interface Target {
  repository: URL;
  advertisement: URL;
  where: string;
  credentialsInUrl?: GitCredentials;
}

/** Parsed once per repository URL rather than on every poll. */
const targets = new Map<string, Target>();
const MAX_TARGETS = 10_000;

function targetOf(url: string): Target {
  let target = targets.get(url);
  if (target) return target;
  const repository = new URL(url);
  const credentialsInUrl = credentialsIn(repository);
  repository.username = '';
  repository.password = '';
  const advertisement = new URL(
    `${repository.href.replace(/\/+$/, '')}/info/refs?service=git-upload-pack`,
  );
  target = { repository, advertisement, where: redactUrl(url), credentialsInUrl };
  if (targets.size >= MAX_TARGETS) targets.clear();
  targets.set(url, target);
  return target;
}

/** One request; undici retries an idempotent GET whose kept-alive socket the server closed. */
async function send(target: URL, authorization: string | undefined, where: string) {
  if (target.protocol !== 'http:' && target.protocol !== 'https:') {
    throw new GitError(
      'GitOperationFailed',
      `${where}: only http:// and https:// repositories can be polled, not ${target.protocol}`,
    );
  }
  const headers: Record<string, string> = { 'user-agent': 'git/cairn', accept: ADVERTISEMENT_TYPE };
  if (authorization) headers.authorization = authorization;
  try {
    const response = await request(target, { method: 'GET', headers, dispatcher: connections });
    const first = (name: string) => [response.headers[name] ?? []].flat()[0];
    return {
      status: response.statusCode,
      location: first('location'),
      type: first('content-type'),
      body: Buffer.from(await response.body.arrayBuffer()),
    };
  } catch (error) {
    throw unreachable(error, where);
  }
}

function unreachable(error: unknown, where: string): GitError {
  if (error instanceof GitError) return error;
  const code = (error as { code?: string }).code ?? (error as Error).message;
  if (error instanceof errors.ResponseExceededMaxSizeError)
    return new GitError(
      'GitOperationFailed',
      `${where} advertises more than ${MAX_BYTES / 1024 / 1024} MiB of refs: refused`,
    );
  if (error instanceof errors.HTTPParserError)
    return new GitError(
      'GitOperationFailed',
      `${where} is not a git server: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  return new GitError(
    'Unreachable',
    `cannot reach ${where} (${code}): check the URL and the network`,
    {
      cause: error,
    },
  );
}

function credentialsIn(url: URL): GitCredentials | undefined {
  if (!url.username && !url.password) return undefined;
  return { username: decodeURIComponent(url.username), password: decodeURIComponent(url.password) };
}

/** Per credentials object: the poller keeps one per repository registration. */
const authorizations = new WeakMap<GitCredentials, string>();

function basic(credentials: GitCredentials): string {
  let authorization = authorizations.get(credentials);
  if (authorization === undefined) {
    const { username, password } = credentials;
    authorization = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
    authorizations.set(credentials, authorization);
  }
  return authorization;
}
