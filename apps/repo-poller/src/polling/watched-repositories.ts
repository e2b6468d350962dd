import type { ApplicationRegistration, RepositoryRegistration } from '@cairn/contracts';
import { normalizeRepositoryUrl, redactUrl } from '@cairn/git';

/**
 * What to poll: every registered repository and every repository an application uses,
 * one entry per repository however it is spelled (matched by normalized URL). An
 * application whose repository is not registered is polled anonymously at the default
 * interval, as Argo CD does for public repositories.
 */
export interface WatchedRepository {
  /** normalizeRepositoryUrl of the URL: the repository's identity. */
  key: string;
  /** The URL to fetch from: as registered, else as the first application spells it. */
  url: string;
  /** The registration it comes from, when it is registered. */
  registrationId?: string;
  intervalSeconds: number;
  username?: string;
  passwordSealed?: string;
  /** Applications whose source is this repository, by name. */
  apps: ApplicationRegistration[];
}

/** Something registered whose URL is not a repository URL: skipped, and said why. */
export interface UnwatchableRegistration {
  kind: 'repository' | 'application';
  name: string;
  error: Error;
}

export function watchedRepositories(
  repositories: readonly RepositoryRegistration[],
  applications: readonly ApplicationRegistration[],
  defaultIntervalSeconds: number,
  onUnwatchable: (problem: UnwatchableRegistration) => void = () => undefined,
): Map<string, WatchedRepository> {
  const watched = new Map<string, WatchedRepository>();
  // The newest registration wins when two spell one repository differently.
  const newestFirst = [...repositories].sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
  for (const registration of newestFirst) {
    const key = keyOf(registration.url, 'repository', registration.id, onUnwatchable);
    if (key === undefined || watched.has(key)) continue;
    watched.set(key, {
      key,
      url: registration.url,
      registrationId: registration.id,
      intervalSeconds: registration.pollIntervalSeconds,
      ...(registration.username !== undefined && { username: registration.username }),
      ...(registration.passwordSealed !== undefined && {
        passwordSealed: registration.passwordSealed,
      }),
      apps: [],
    });
  }
  const byName = [...applications].sort((a, b) => a.name.localeCompare(b.name));
  for (const app of byName) {
    const url = app.spec.source.repoURL;
    const key = keyOf(url, 'application', app.name, onUnwatchable);
    if (key === undefined) continue;
    let repository = watched.get(key);
    if (!repository) {
      repository = { key, url, intervalSeconds: defaultIntervalSeconds, apps: [] };
      watched.set(key, repository);
    }
    repository.apps.push(app);
  }
  return watched;
}

/** The URL without credentials, for logs and answers; kept per object, asked on every poll. */
export function redactedUrlOf(repository: WatchedRepository): string {
  let redacted = redactedUrls.get(repository);
  if (redacted === undefined) {
    redacted = redactUrl(repository.url);
    redactedUrls.set(repository, redacted);
  }
  return redacted;
}

const redactedUrls = new WeakMap<WatchedRepository, string>();

/**
 * Everything about a watched repository that, when it changes, calls for a poll right
 * away: where and how to reach it, how often, and which applications follow what in it.
 */
export function pollingFingerprint(repository: WatchedRepository): string {
  return JSON.stringify([
    repository.url,
    repository.intervalSeconds,
    repository.username,
    repository.passwordSealed,
    repository.apps.map((app) => [app.name, renderKey(app)]),
  ]);
}

/**
 * What an application's render depends on: its cluster (the subject it is published on),
 * its repository, path and revision. A change to any of them renders it again.
 */
export function renderKey(app: ApplicationRegistration): string {
  let key = renderKeys.get(app);
  if (key === undefined) {
    key = computeRenderKey(app);
    renderKeys.set(app, key);
  }
  return key;
}

/** Registrations are replaced, never changed in place, so a key per object holds; asked on every poll. */
const renderKeys = new WeakMap<ApplicationRegistration, string>();

function computeRenderKey(app: ApplicationRegistration): string {
  const { repoURL, path, targetRevision } = app.spec.source;
  let repository = repoURL;
  try {
    repository = normalizeRepositoryUrl(repoURL);
  } catch {
    // an unwatchable URL never gets rendered, so its key does not matter
  }
  return JSON.stringify([app.cluster, repository, path, targetRevision]);
}

function keyOf(
  url: string,
  kind: UnwatchableRegistration['kind'],
  name: string,
  onUnwatchable: (problem: UnwatchableRegistration) => void,
): string | undefined {
  try {
    return normalizeRepositoryUrl(url);
  } catch (error) {
    onUnwatchable({ kind, name, error: error as Error });
    return undefined;
  }
}
