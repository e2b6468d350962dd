import { describe, expect, it } from 'vitest';
import { normalizeRepositoryUrl, redactUrl, repositoryCacheKey } from './repository-url';

describe('normalizeRepositoryUrl', () => {
  it.each([
    ['https://github.com/org/repo.git', 'https://github.com/org/repo'],
    ['https://github.com/org/repo', 'https://github.com/org/repo'],
    ['https://github.com/org/repo/', 'https://github.com/org/repo'],
    ['https://github.com/org/repo.git/', 'https://github.com/org/repo'],
    ['HTTPS://GitHub.COM/org/repo.GIT', 'https://github.com/org/repo'],
    ['https://github.com:443/org/repo.git', 'https://github.com/org/repo'],
    ['http://git.local:8080/org/repo.git', 'http://git.local:8080/org/repo'],
    ['https://user:s3cret@github.com/org/repo.git', 'https://github.com/org/repo'],
    ['  https://github.com/org/repo.git  ', 'https://github.com/org/repo'],
    ['git@github.com:org/repo.git', 'ssh://github.com/org/repo'],
    ['ssh://git@github.com:22/org/repo.git', 'ssh://github.com/org/repo'],
  ])('%s -> %s', (raw, normalized) => {
    expect(normalizeRepositoryUrl(raw)).toBe(normalized);
  });

  it('keeps the case of the path, which most git hosts treat as significant', () => {
    expect(normalizeRepositoryUrl('https://git.example.com/Org/Repo.git')).toBe(
      'https://git.example.com/Org/Repo',
    );
  });

  it('keeps repositories on different ports or paths apart', () => {
    expect(normalizeRepositoryUrl('https://h/a/b')).not.toBe(
      normalizeRepositoryUrl('https://h:8443/a/b'),
    );
    expect(normalizeRepositoryUrl('https://h/a/b')).not.toBe(
      normalizeRepositoryUrl('https://h/a/c'),
    );
  });

  it('names what is wrong with something that is not a repository URL', () => {
    expect(() => normalizeRepositoryUrl('not a url')).toThrow(
      /"not a url" is not a repository URL/,
    );
    expect(() => normalizeRepositoryUrl('ftp://host/repo')).toThrow(/unsupported scheme ftp:/);
  });

  it('never repeats credentials in its error message', () => {
    expect(() => normalizeRepositoryUrl('ftp://me:hunter2@host/repo')).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining('hunter2') }),
    );
  });
});

describe('repositoryCacheKey', () => {
  it('is the same for every spelling of one repository and a safe directory name', () => {
    const key = repositoryCacheKey('https://github.com/org/repo.git');
    expect(repositoryCacheKey('HTTPS://github.com/org/repo/')).toBe(key);
    expect(repositoryCacheKey('https://token:x@github.com/org/repo')).toBe(key);
    expect(key).toMatch(/^[0-9a-f]{32}$/);
  });

  it('differs between repositories', () => {
    expect(repositoryCacheKey('https://github.com/org/a')).not.toBe(
      repositoryCacheKey('https://github.com/org/b'),
    );
  });
});

describe('redactUrl', () => {
  it('drops user and password', () => {
    expect(redactUrl('https://me:hunter2@github.com/org/repo.git')).toBe(
      'https://github.com/org/repo.git',
    );
  });
});
