import { createHash } from 'node:crypto';
import { type ApplicationRegistration, DesiredState, encode } from '@cairn/contracts';
import type { MsgHdrs } from '@nats-io/transport-node';
import { Injectable } from '@nestjs/common';
import { PollerSession } from '../nats/poller-session';

/** What rendering an application at a commit gave: a stored bundle, or why there is none. */
export type RenderOutcome = { bundleDigest: string } | { renderError: string };

const MAX_RENDER_ERROR = 4096;

/** Publishes `<root>.desired.<cluster>.<app>` with JetStream, de-duplicated by message id. */
@Injectable()
export class DesiredStatePublisher {
  constructor(private readonly session: PollerSession) {}

  async publish(
    app: ApplicationRegistration,
    sha: string,
    outcome: RenderOutcome,
    headers?: MsgHdrs,
  ): Promise<void> {
    const { js, topology } = this.session.current;
    const message: DesiredState = {
      v: 1,
      app: app.name,
      revision: sha,
      ...('bundleDigest' in outcome
        ? { bundleDigest: outcome.bundleDigest }
        : { renderError: outcome.renderError.slice(0, MAX_RENDER_ERROR) }),
      reason: `commit ${sha.slice(0, 7)} on ${app.spec.source.targetRevision}`,
    };
    await js.publish(
      topology.subjects.desired(app.cluster, app.name),
      encode(DesiredState, message),
      { msgID: messageId(app, sha, outcome), ...(headers && { headers }) },
    );
  }
}

/**
 * `<app>:<sha>:<digest>` lets JetStream drop what a restarted or second poller publishes
 * again. The cluster and the registration's updatedAt follow it, because a re-created or
 * moved app (or a path changed and changed back) must be told even within the duplicate
 * window, and those change nothing else in the id.
 */
export function messageId(app: ApplicationRegistration, sha: string, outcome: RenderOutcome) {
  const content =
    'bundleDigest' in outcome
      ? outcome.bundleDigest
      : `render-error-${createHash('sha256').update(outcome.renderError).digest('hex').slice(0, 16)}`;
  return `${app.name}:${sha}:${content}:${app.cluster}:${app.updatedAt}`;
}

/** What was published, to compare two renders by; a render error as far as it is published. */
export function outcomeKey(outcome: RenderOutcome): string {
  return 'bundleDigest' in outcome
    ? outcome.bundleDigest
    : `error: ${outcome.renderError.slice(0, MAX_RENDER_ERROR)}`;
}
