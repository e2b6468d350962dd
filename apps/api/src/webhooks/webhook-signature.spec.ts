import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { providerOf, repositoryUrls } from './push-payload';
import { verifySignature } from './webhook-signature';

const body = Buffer.from('{"ref":"refs/heads/main"}');
const sign = (algorithm: string) => createHmac(algorithm, 's3cret').update(body).digest('hex');

describe('verifySignature', () => {
  it("accepts each host's proof of the secret and refuses another secret's", () => {
    const cases = [
      ['github', { 'x-hub-signature-256': `sha256=${sign('sha256')}` }],
      ['gitea', { 'x-gitea-signature': sign('sha256') }],
      ['gitlab', { 'x-gitlab-token': 's3cret' }],
      ['bitbucket', { 'x-hub-signature': `sha256=${sign('sha256')}` }],
      ['bitbucket', { 'x-hub-signature': `sha1=${sign('sha1')}` }],
    ] as const;
    for (const [provider, headers] of cases) {
      expect(verifySignature(provider, headers, body, 's3cret')).toBe(true);
      expect(verifySignature(provider, headers, body, 'other')).toBe(false);
      expect(verifySignature(provider, {}, body, 's3cret')).toBe(false);
    }
    expect(
      verifySignature(
        'github',
        { 'x-hub-signature-256': `sha256=${sign('sha256')}` },
        Buffer.from('{}'),
        's3cret',
      ),
    ).toBe(false);
  });
});

describe('push payloads', () => {
  it('tells the host from its headers, Gitea before the GitHub headers it also sends', () => {
    expect(providerOf({ 'x-gitea-event': 'push', 'x-github-event': 'push' })).toBe('gitea');
    expect(providerOf({ 'x-github-event': 'push' })).toBe('github');
    expect(providerOf({ 'x-gitlab-event': 'Push Hook' })).toBe('gitlab');
    expect(providerOf({ 'x-event-key': 'repo:push' })).toBe('bitbucket');
    expect(providerOf({})).toBeUndefined();
  });

  it("reads the repository URLs where each host puts them, and none from another's shape", () => {
    const github = {
      repository: {
        clone_url: 'https://h/o/r.git',
        html_url: 'https://h/o/r',
        ssh_url: 'git@h:o/r.git',
      },
    };
    const gitlab = { project: { git_http_url: 'https://h/o/r.git', web_url: 'https://h/o/r' } };
    const bitbucket = { repository: { links: { html: { href: 'https://bitbucket.org/o/r' } } } };
    expect(repositoryUrls('github', github)).toEqual([
      'https://h/o/r.git',
      'https://h/o/r',
      'git@h:o/r.git',
    ]);
    expect(repositoryUrls('gitlab', gitlab)).toEqual(['https://h/o/r.git', 'https://h/o/r']);
    expect(repositoryUrls('bitbucket', bitbucket)).toEqual(['https://bitbucket.org/o/r']);
    expect(repositoryUrls('github', gitlab)).toEqual([]);
    expect(repositoryUrls('gitlab', github)).toEqual([]);
    expect(repositoryUrls('github', [1, 2])).toEqual([]);
  });
});
