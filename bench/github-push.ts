import { createHmac, randomUUID } from 'node:crypto';

/** What the api answered a push delivery with (WebhookReceipt). */
export interface PushReceipt {
  polled: string[];
  coalesced: string[];
  ignored?: string;
}

/**
 * Delivers a push of `after` to the api's webhook route as GitHub does (and as a git
 * server's post-receive hook would): `X-GitHub-Event: push`, an HMAC-SHA256 of the body
 * under the repository's webhook secret in `X-Hub-Signature-256`.
 */
export async function deliverGithubPush(
  apiUrl: string,
  push: { repoUrl: string; before: string; after: string; secret: string },
): Promise<PushReceipt> {
  const body = JSON.stringify({
    ref: 'refs/heads/main',
    before: push.before,
    after: push.after,
    repository: { clone_url: push.repoUrl, html_url: push.repoUrl.replace(/\.git$/, '') },
  });
  const signature = createHmac('sha256', push.secret).update(body).digest('hex');
  const response = await fetch(`${apiUrl}/api/v1/webhooks/git`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-github-event': 'push',
      'x-github-delivery': randomUUID(),
      'x-hub-signature-256': `sha256=${signature}`,
    },
    body,
  });
  const text = await response.text();
  if (response.status !== 202)
    throw new Error(`webhook delivery answered ${response.status}: ${text}`);
  return JSON.parse(text) as PushReceipt;
}
