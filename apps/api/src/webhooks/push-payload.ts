/**
 * Push deliveries of the four git hosts Cairn takes webhooks from: which host sent one
 * (from its headers), and which repository URLs its payload names (from its body).
 */

export type GitProvider = 'github' | 'gitlab' | 'gitea' | 'bitbucket';

export type Headers = Record<string, string | string[] | undefined>;

export function header(headers: Headers, name: string): string | undefined {
  const value = headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

/** Gitea also sends GitHub's headers, so it is recognised first. */
export function providerOf(headers: Headers): GitProvider | undefined {
  if (header(headers, 'x-gitea-event')) return 'gitea';
  if (header(headers, 'x-gitlab-event')) return 'gitlab';
  if (header(headers, 'x-github-event')) return 'github';
  if (header(headers, 'x-event-key')) return 'bitbucket';
  return undefined;
}

/** The event a delivery reports, and whether it is a push (the only event that polls). */
export function isPush(provider: GitProvider, headers: Headers): boolean {
  const event = {
    github: header(headers, 'x-github-event'),
    gitea: header(headers, 'x-gitea-event'),
    gitlab: header(headers, 'x-gitlab-event'),
    bitbucket: header(headers, 'x-event-key'),
  }[provider];
  return (
    {
      github: event === 'push',
      gitea: event === 'push',
      gitlab: event === 'Push Hook' || event === 'Tag Push Hook',
      bitbucket: event === 'repo:push' || event === 'repo:refs_changed',
    }[provider] ?? false
  );
}

/** Where each host puts the repository's URLs, for error messages. */
export const URL_FIELDS: Record<GitProvider, string> = {
  github: 'repository.clone_url, html_url or ssh_url',
  gitea: 'repository.clone_url, html_url or ssh_url',
  gitlab: 'project.git_http_url, git_ssh_url or web_url',
  bitbucket: 'repository.links.html.href',
};

type Json = Record<string, unknown>;

const object = (value: unknown): Json | undefined =>
  typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Json)
    : undefined;

const strings = (...values: unknown[]): string[] =>
  values.filter((value): value is string => typeof value === 'string' && value !== '');

/** Every repository URL the payload names, as that host shapes it; none if it is not its shape. */
export function repositoryUrls(provider: GitProvider, payload: unknown): string[] {
  const body = object(payload);
  if (provider === 'github' || provider === 'gitea') {
    const repository = object(body?.repository);
    return strings(repository?.clone_url, repository?.html_url, repository?.ssh_url);
  }
  if (provider === 'gitlab') {
    const project = object(body?.project);
    const repository = object(body?.repository);
    return strings(
      project?.git_http_url,
      project?.git_ssh_url,
      project?.web_url,
      repository?.git_http_url,
      repository?.git_ssh_url,
    );
  }
  const links = object(object(body?.repository)?.links);
  const clone = Array.isArray(links?.clone) ? links.clone.map((link) => object(link)?.href) : [];
  return strings(object(links?.html)?.href, ...clone);
}
