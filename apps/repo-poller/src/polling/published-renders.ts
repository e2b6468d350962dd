import { createHash } from 'node:crypto';
import { type ApplicationRegistration, decode, DesiredState } from '@cairn/contracts';
import { type JetStreamManager, jetstreamManager } from '@nats-io/jetstream';
import { headers, type MsgHdrs } from '@nats-io/transport-node';
import { Injectable } from '@nestjs/common';
import { PollerSession } from '../nats/poller-session';
import { outcomeKey } from './desired-state-publisher';
import type { RenderedRevision } from './render-memory';
import { renderKey } from './watched-repositories';

const REGISTRATION = 'Cairn-Registration';
const PATH_OID = 'Cairn-Path-Oid';
const FOLLOWED_SYMLINKS = 'Cairn-Followed-Symlinks';

/** What a desired state carries, besides its payload, for the next replica to recall it by. */
export function renderHeaders(
  app: ApplicationRegistration,
  rendered: Pick<RenderedRevision, 'pathOid' | 'followedSymlinks'>,
): MsgHdrs {
  const h = headers();
  h.set(REGISTRATION, registrationKey(app));
  h.set(PATH_OID, rendered.pathOid ?? '');
  h.set(FOLLOWED_SYMLINKS, String(rendered.followedSymlinks));
  return h;
}

/**
 * The last desired state published for an application is the shared memory of all
 * repo-poller replicas (and of a restarted one): a replica that takes a repository over
 * reads it instead of fetching and rendering commits another replica already published.
 * Only a message for the same registration (cluster, repository, path, revision and
 * updatedAt) counts: a re-created or changed application renders afresh.
 */
@Injectable()
export class PublishedRenders {
  private manager?: Promise<JetStreamManager>;

  constructor(private readonly session: PollerSession) {}

  /** What was last published for `app`, or undefined when nothing usable was. */
  async recall(app: ApplicationRegistration): Promise<RenderedRevision | undefined> {
    const { nc, topology } = this.session.current;
    this.manager ??= jetstreamManager(nc);
    const message = await (
      await this.manager
    ).streams.getMessage(topology.streams.desired(), {
      last_by_subj: topology.subjects.desired(app.cluster, app.name),
    });
    if (!message || message.header?.get(REGISTRATION) !== registrationKey(app)) return undefined;
    const desired = decode(DesiredState, message.data);
    return {
      sha: desired.revision,
      pathOid: message.header.get(PATH_OID) || undefined,
      outcome: outcomeKey(
        desired.bundleDigest !== undefined
          ? { bundleDigest: desired.bundleDigest }
          : { renderError: desired.renderError ?? '' },
      ),
      followedSymlinks: message.header.get(FOLLOWED_SYMLINKS) === 'true',
    };
  }
}

function registrationKey(app: ApplicationRegistration): string {
  return createHash('sha256')
    .update(`${renderKey(app)}\n${app.updatedAt}`)
    .digest('hex')
    .slice(0, 32);
}
