import type { Errors } from 'isomorphic-git';
import { redactUrl } from './repository-url';

/** Why a git operation failed, as a status reason a user can act on. */
export type GitFailureReason =
  | 'AuthenticationFailed'
  | 'RepositoryNotFound'
  | 'RevisionNotFound'
  | 'PathNotFound'
  | 'NotAFile'
  | 'Unreachable'
  | 'GitOperationFailed';

export class GitError extends Error {
  override readonly name = 'GitError';

  constructor(
    readonly reason: GitFailureReason,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * Turns what isomorphic-git or the network threw into a GitError that names the repository
 * (without credentials) and what to do about it.
 */
export function toGitError(error: unknown, url: string, ref?: string): GitError {
  if (error instanceof GitError) return error;
  const where = redactUrl(url);
  // isomorphic-git errors are matched by code: instanceof breaks across duplicate copies.
  const code = (error as { code?: string } | undefined)?.code;
  if (code === 'HttpError') {
    const { statusCode, statusMessage } = (error as InstanceType<typeof Errors.HttpError>).data;
    return httpStatusError(statusCode, statusMessage, url, { cause: error });
  }
  if (code === 'NotFoundError' && ref !== undefined) {
    return new GitError(
      'RevisionNotFound',
      `revision "${ref}" not found in ${where}: no such branch, tag or commit`,
      {
        cause: error,
      },
    );
  }
  if (
    code &&
    ['ECONNREFUSED', 'ENOTFOUND', 'ETIMEDOUT', 'ECONNRESET', 'EAI_AGAIN'].includes(code)
  ) {
    return new GitError(
      'Unreachable',
      `cannot reach ${where} (${code}): check the URL and the network`,
      {
        cause: error,
      },
    );
  }
  const message = error instanceof Error ? error.message : String(error);
  return new GitError('GitOperationFailed', `git operation on ${where} failed: ${message}`, {
    cause: error,
  });
}

/** What an HTTP status other than 200 from a git server means for the user. */
export function httpStatusError(
  status: number,
  statusMessage: string,
  url: string,
  options?: { cause?: unknown },
): GitError {
  const where = redactUrl(url);
  if (status === 401 || status === 403) {
    return new GitError(
      'AuthenticationFailed',
      `authentication failed for ${where} (HTTP ${status}): check the username and password (or token) registered for this repository`,
      options,
    );
  }
  if (status === 404) {
    return new GitError(
      'RepositoryNotFound',
      `repository ${where} not found (HTTP 404): check the URL`,
      options,
    );
  }
  return new GitError(
    'GitOperationFailed',
    `${where} answered HTTP ${status} ${statusMessage}`.trimEnd(),
    options,
  );
}
