import type { AuthCallback } from 'isomorphic-git';

/** HTTP basic credentials of a repository (a token goes in `password`). */
export interface GitCredentials {
  username: string;
  password: string;
}

/**
 * Answers the server's 401 challenge with the registered credentials. Without an
 * onAuthFailure handler a second 401 becomes an error instead of a retry loop.
 */
export function authCallback(auth?: GitCredentials): AuthCallback | undefined {
  return auth && (() => ({ username: auth.username, password: auth.password }));
}
