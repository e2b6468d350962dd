import { createHmac, timingSafeEqual } from 'node:crypto';
import { type GitProvider, type Headers, header } from './push-payload';

/** Where each host puts its proof of the secret, for error messages. */
export const SIGNATURE_HEADERS: Record<GitProvider, string> = {
  github: 'X-Hub-Signature-256',
  gitea: 'X-Gitea-Signature',
  gitlab: 'X-Gitlab-Token',
  bitbucket: 'X-Hub-Signature',
};

/**
 * Whether a delivery proves it knows the repository's webhook secret: an HMAC-SHA256 of
 * the exact body (GitHub, Gitea, Bitbucket; Bitbucket Server may still use sha1), or the
 * secret itself (GitLab). Compared in constant time.
 */
export function verifySignature(
  provider: GitProvider,
  headers: Headers,
  body: Buffer,
  secret: string,
): boolean {
  const given = header(headers, SIGNATURE_HEADERS[provider]);
  if (given === undefined) return false;
  switch (provider) {
    case 'gitlab':
      return same(given, secret);
    case 'gitea':
      return same(given, hmac('sha256', secret, body));
    case 'github':
      return same(given, `sha256=${hmac('sha256', secret, body)}`);
    case 'bitbucket': {
      const [algorithm, digest] = given.split('=', 2);
      if ((algorithm !== 'sha256' && algorithm !== 'sha1') || digest === undefined) return false;
      return same(digest, hmac(algorithm, secret, body));
    }
  }
}

function hmac(algorithm: 'sha256' | 'sha1', secret: string, body: Buffer): string {
  return createHmac(algorithm, secret).update(body).digest('hex');
}

function same(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
