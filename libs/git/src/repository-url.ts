import { createHash } from 'node:crypto';

/**
 * The identity of a repository URL: two spellings of the same repository (host case, a
 * `.git` suffix, a trailing slash, credentials, a default port, scp-like ssh syntax) get
 * the same normalized form, so they share one cache, one registration and one webhook match.
 * It is an identity, not something to fetch from: fetch the URL as the user registered it.
 */
export function normalizeRepositoryUrl(raw: string): string {
  const url = parseRepositoryUrl(raw.trim());
  const defaultPort = { 'http:': '80', 'https:': '443', 'ssh:': '22' }[url.protocol];
  const port = url.port && url.port !== defaultPort ? `:${url.port}` : '';
  const path = url.pathname
    .replace(/\/+$/, '')
    .replace(/\.git$/i, '')
    .replace(/\/+$/, '');
  // URL already lowercases scheme and host; paths stay as given (case-sensitive on most hosts).
  return `${url.protocol}//${url.hostname}${port}${path}`;
}

/** The cache key of a repository: a hash of its normalized URL, safe as a directory name. */
export function repositoryCacheKey(raw: string): string {
  return createHash('sha256').update(normalizeRepositoryUrl(raw)).digest('hex').slice(0, 32);
}

/** The URL with any user and password removed, for messages and logs. */
export function redactUrl(raw: string): string {
  try {
    const url = new URL(raw);
    url.username = '';
    url.password = '';
    return url.toString();
  } catch {
    return raw.replace(/\/\/[^@/]*@/, '//');
  }
}

function parseRepositoryUrl(raw: string): URL {
  // scp-like syntax, as GitHub shows for ssh: git@github.com:org/repo.git
  const scp = /^(?:([^@/]+)@)?([^:/]+):(?!\/\/)(.+)$/.exec(raw);
  const candidate = scp
    ? `ssh://${scp[1] ? `${scp[1]}@` : ''}${scp[2]}/${scp[3].replace(/^\/+/, '')}`
    : raw;
  let url: URL;
  try {
    url = new URL(candidate);
  } catch {
    throw new Error(
      `"${redactUrl(raw)}" is not a repository URL: expected https://host/path or git@host:path`,
    );
  }
  if (!['http:', 'https:', 'ssh:', 'git:', 'file:'].includes(url.protocol)) {
    throw new Error(
      `"${redactUrl(raw)}" is not a repository URL: unsupported scheme ${url.protocol}`,
    );
  }
  return url;
}
