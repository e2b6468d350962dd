import type { ApplicationRegistration, RepositoryRegistration } from '@cairn/contracts';
import { describe, expect, it } from 'vitest';
import {
  pollingFingerprint,
  type UnwatchableRegistration,
  watchedRepositories,
} from './watched-repositories';

const repository = (
  id: string,
  url: string,
  extra: Partial<RepositoryRegistration> = {},
): RepositoryRegistration => ({
  v: 1,
  id,
  url,
  pollIntervalSeconds: 60,
  updatedAt: '2025-01-01T00:00:00Z',
  ...extra,
});

const app = (name: string, repoURL: string, path = name): ApplicationRegistration => ({
  v: 1,
  name,
  cluster: 'prod',
  spec: {
    source: { repoURL, path, targetRevision: 'main' },
    destination: { name: 'prod' },
    syncPolicy: { syncOptions: [] },
  },
  updatedAt: '2025-01-01T00:00:00Z',
});

describe('watchedRepositories', () => {
  it('matches applications to registered repositories however the URL is spelled', () => {
    const watched = watchedRepositories(
      [
        repository('r1', 'https://git.example.com/org/apps.git', {
          username: 'bot',
          passwordSealed: 'v1:x',
        }),
      ],
      [
        app('web', 'https://GIT.example.com/org/apps/'),
        app('api', 'https://git.example.com/org/apps'),
      ],
      15,
    );
    expect([...watched.keys()]).toEqual(['https://git.example.com/org/apps']);
    expect(watched.get('https://git.example.com/org/apps')).toMatchObject({
      url: 'https://git.example.com/org/apps.git',
      registrationId: 'r1',
      intervalSeconds: 60,
      username: 'bot',
      passwordSealed: 'v1:x',
    });
    expect(watched.get('https://git.example.com/org/apps')?.apps.map((a) => a.name)).toEqual([
      'api',
      'web',
    ]);
  });

  it('polls an unregistered repository anonymously at the default interval, and a registered one without apps too', () => {
    const watched = watchedRepositories(
      [repository('r1', 'https://git.example.com/org/empty.git')],
      [app('web', 'https://github.com/public/charts.git')],
      15,
    );
    expect(watched.get('https://github.com/public/charts')).toEqual({
      key: 'https://github.com/public/charts',
      url: 'https://github.com/public/charts.git',
      intervalSeconds: 15,
      apps: [expect.objectContaining({ name: 'web' })],
    });
    expect(watched.get('https://git.example.com/org/empty')?.apps).toEqual([]);
  });

  it('takes the newest of two registrations of one repository', () => {
    const watched = watchedRepositories(
      [
        repository('old', 'https://h/org/a', { pollIntervalSeconds: 30 }),
        repository('new', 'https://h/org/a.git', {
          pollIntervalSeconds: 5,
          updatedAt: '2025-06-01T00:00:00Z',
        }),
      ],
      [],
      15,
    );
    expect(watched.get('https://h/org/a')).toMatchObject({
      registrationId: 'new',
      intervalSeconds: 5,
    });
  });

  it('skips, and reports, a registration whose URL is not a repository URL', () => {
    const problems: UnwatchableRegistration[] = [];
    const watched = watchedRepositories(
      [repository('bad', 'ftp://h/repo')],
      [app('web', 'not a url')],
      15,
      (problem) => problems.push(problem),
    );
    expect(watched.size).toBe(0);
    expect(problems.map((p) => [p.kind, p.name])).toEqual([
      ['repository', 'bad'],
      ['application', 'web'],
    ]);
  });
});

describe('pollingFingerprint', () => {
  const watch = (repositories: RepositoryRegistration[], apps: ApplicationRegistration[]) =>
    [...watchedRepositories(repositories, apps, 15).values()][0];
  const url = 'https://h/org/a';

  it('changes with the credentials, the interval and what the applications follow', () => {
    const base = pollingFingerprint(watch([repository('r', url)], [app('web', url)]));
    expect(pollingFingerprint(watch([repository('r', url)], [app('web', url)]))).toBe(base);
    for (const changed of [
      watch([repository('r', url, { passwordSealed: 'v1:new' })], [app('web', url)]),
      watch([repository('r', url, { pollIntervalSeconds: 5 })], [app('web', url)]),
      watch([repository('r', url)], [app('web', url, 'other/path')]),
      watch([repository('r', url)], [app('web', url), app('api', url)]),
      watch([repository('r', url)], [{ ...app('web', url), cluster: 'staging' }]),
    ]) {
      expect(pollingFingerprint(changed)).not.toBe(base);
    }
  });

  it('ignores what does not change a render, such as the sync policy', () => {
    const base = pollingFingerprint(watch([repository('r', url)], [app('web', url)]));
    const automated = app('web', url);
    automated.spec.syncPolicy.automated = { prune: true, selfHeal: true };
    expect(pollingFingerprint(watch([repository('r', url)], [automated]))).toBe(base);
  });
});
