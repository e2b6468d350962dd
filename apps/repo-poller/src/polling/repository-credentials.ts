import type { GitCredentials } from '@cairn/git';
import { redactUrl } from '@cairn/git';
import type { SecretBox } from '@cairn/secrets';
import type { WatchedRepository } from './watched-repositories';

/**
 * The credentials to poll a repository with: its username and its password (or token),
 * opened from the sealed registration. Nothing for an anonymous (public) repository.
 */
export function repositoryCredentials(
  repository: WatchedRepository,
  box: SecretBox,
): GitCredentials | undefined {
  if (!repository.passwordSealed) {
    return repository.username ? { username: repository.username, password: '' } : undefined;
  }
  try {
    return { username: repository.username ?? '', password: box.open(repository.passwordSealed) };
  } catch (error) {
    const which = repository.registrationId ?? redactUrl(repository.url);
    throw new Error(
      `the password of repository ${which} cannot be opened (${(error as Error).message}): CAIRN_ENCRYPTION_KEY must be the key the api sealed it with`,
    );
  }
}

/**
 * Credentials opened once per registration (a WatchedRepository is replaced when it
 * changes), not on every poll: a thousand repositories every 15 s would decrypt 67
 * passwords a second.
 */
export class RepositoryCredentials {
  private readonly opened = new WeakMap<WatchedRepository, GitCredentials | undefined>();

  constructor(private readonly box: SecretBox) {}

  of(repository: WatchedRepository): GitCredentials | undefined {
    if (this.opened.has(repository)) return this.opened.get(repository);
    const auth = repositoryCredentials(repository, this.box);
    this.opened.set(repository, auth);
    return auth;
  }
}
