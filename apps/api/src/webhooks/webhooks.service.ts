import { createHash } from 'node:crypto';
import { normalizeRepositoryUrl, redactUrl } from '@cairn/git';
import { RepositoryEntity } from '@cairn/persistence';
import { SecretBox } from '@cairn/secrets';
import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { PollRequester } from '../infrastructure/poll-requester';
import { sealedFromColumn } from '../infrastructure/sealed-column';
import {
  type GitProvider,
  type Headers,
  isPush,
  providerOf,
  repositoryUrls,
  URL_FIELDS,
} from './push-payload';
import { SIGNATURE_HEADERS, verifySignature } from './webhook-signature';
import { WebhookRejection } from './webhook-rejection';

/**
 * Identical deliveries (same repository, same body) within this window poll once: hosts
 * retry a delivery, and send one push to every hook they have. A different push always asks
 * for a poll, however soon after another: the poll before it may have read the refs before
 * it landed. The repo-poller runs a repository's polls one at a time and folds the requests
 * that come in meanwhile into one more poll, which fetches only if a ref moved.
 */
export const COALESCE_WINDOW_MS = 1_000;

export interface WebhookReceipt {
  provider: GitProvider;
  /** Repositories (by id) whose poll this delivery asked for, or found already asked for. */
  polled: string[];
  coalesced: string[];
  ignored?: string;
}

/**
 * POST /api/v1/webhooks/git: a push from GitHub, GitLab, Gitea or Bitbucket, authenticated
 * by the webhook secret of the repositories it names, polls those repositories now.
 */
@Injectable()
export class WebhooksService {
  private readonly logger = new Logger(WebhooksService.name);
  private readonly lastPoll = new Map<string, number>();

  constructor(
    @InjectRepository(RepositoryEntity) private readonly repositories: Repository<RepositoryEntity>,
    private readonly box: SecretBox,
    private readonly poller: PollRequester,
  ) {}

  async receive(headers: Headers, body: Buffer): Promise<WebhookReceipt> {
    const provider = providerOf(headers);
    if (!provider) {
      throw new WebhookRejection(
        400,
        'not a push delivery of GitHub, GitLab, Gitea or Bitbucket: none of X-GitHub-Event, X-Gitlab-Event, X-Gitea-Event or X-Event-Key is set',
      );
    }
    const payload = parsePayload(headers, body);
    const urls = repositoryUrls(provider, payload);
    if (urls.length === 0) {
      throw new WebhookRejection(
        400,
        `not a ${provider} push payload: it names no repository (${URL_FIELDS[provider]})`,
      );
    }
    const matches = await this.matching(urls);
    if (matches.length === 0) {
      throw new WebhookRejection(
        404,
        `no registered repository matches ${redactUrl(urls[0])}: register it with POST /api/v1/repositories`,
      );
    }
    const verified = matches.filter((row) => this.verifies(provider, headers, body, row));
    if (verified.length === 0) {
      throw new WebhookRejection(
        401,
        `${SIGNATURE_HEADERS[provider]} does not match the webhook secret of ${redactUrl(matches[0].url)} (or it has none): set the same secret on both sides`,
      );
    }
    if (!isPush(provider, headers)) {
      return { provider, polled: [], coalesced: [], ignored: 'not a push event: nothing to poll' };
    }
    const receipt: WebhookReceipt = { provider, polled: [], coalesced: [] };
    const delivery = createHash('sha256').update(body).digest('base64url');
    for (const row of verified) {
      if (this.coalesces(`${row.urlNormalized} ${delivery}`)) {
        receipt.coalesced.push(row.id);
        continue;
      }
      receipt.polled.push(row.id);
      // Answered at once: hosts time out long before a fetch and render may end.
      void this.poller
        .pollNow(row.url)
        .then((outcome) =>
          this.logger.log({ msg: 'webhook poll done', provider, repository: row.id, ...outcome }),
        );
    }
    return receipt;
  }

  /** Registered repositories the payload names, by normalized URL. */
  private async matching(urls: string[]): Promise<RepositoryEntity[]> {
    const wanted = new Set(urls.flatMap((url) => identity(url) ?? []));
    const rows = await this.repositories.find();
    return rows.filter((row) => wanted.has(identity(row.urlNormalized) ?? ''));
  }

  private verifies(provider: GitProvider, headers: Headers, body: Buffer, row: RepositoryEntity) {
    const sealed = sealedFromColumn(row.webhookSecretCiphertext);
    if (sealed === undefined) return false;
    try {
      return verifySignature(provider, headers, body, this.box.open(sealed));
    } catch (error) {
      // Sealed under another key: that repository's secret must be set again.
      this.logger.error({ msg: 'webhook secret cannot be opened', repository: row.id, err: error });
      return false;
    }
  }

  private coalesces(key: string): boolean {
    const now = Date.now();
    const last = this.lastPoll.get(key);
    if (last !== undefined && now - last < COALESCE_WINDOW_MS) return true;
    this.lastPoll.set(key, now);
    for (const [other, at] of this.lastPoll) {
      if (now - at >= COALESCE_WINDOW_MS) this.lastPoll.delete(other);
    }
    return false;
  }
}

/** ssh and https spellings of one repository are one repository. */
function identity(url: string): string | undefined {
  try {
    return normalizeRepositoryUrl(url).replace(/^[a-z+]+:\/\/(?:[^@/]*@)?/, '');
  } catch {
    return undefined;
  }
}

/** JSON, or GitHub's form encoding (`payload=<json>`). */
function parsePayload(headers: Headers, body: Buffer): unknown {
  const type = String(headers['content-type'] ?? 'application/json')
    .split(';')[0]
    .trim();
  let text = body.toString('utf8');
  if (type === 'application/x-www-form-urlencoded') {
    text = new URLSearchParams(text).get('payload') ?? '';
  } else if (!type.endsWith('json')) {
    throw new WebhookRejection(415, `a push payload is JSON, not ${type}`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new WebhookRejection(400, `the payload is not valid JSON: ${(error as Error).message}`);
  }
}
