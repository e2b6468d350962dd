import type { ApplicationSpec, RegistrationEvent } from '@cairn/contracts';
import type { ApplicationEntity, ClusterEntity, RepositoryEntity } from '@cairn/persistence';
import { Injectable } from '@nestjs/common';
import { EventPublisher } from '../infrastructure/event-publisher';
import { ADMIN } from '../operations/operations.service';

type Change = RegistrationEvent['change'];

/**
 * Tells the events stream that a registration was created, changed or deleted, once
 * PostgreSQL holds the change. What it tells is what GET shows, never credentials.
 */
@Injectable()
export class RegistrationEvents {
  constructor(private readonly events: EventPublisher) {}

  application(change: Change, row: ApplicationEntity, detail?: string): Promise<void> {
    const { source, destination } = row.spec as ApplicationSpec;
    const what =
      change === 'deleted'
        ? 'deleted'
        : `${change === 'created' ? 'registered' : 'changed'}: ${source.repoURL} path ${source.path} at ${source.targetRevision} to cluster "${row.cluster}"${destination.namespace ? `, namespace "${destination.namespace}"` : ''}`;
    return this.events.registrationChanged({
      type: 'RegistrationChanged',
      kind: 'application',
      change,
      name: row.name,
      cluster: row.cluster,
      app: row.name,
      message: `application "${row.name}" ${what}${detail ? `; ${detail}` : ''}`,
      initiatedBy: ADMIN,
    });
  }

  cluster(change: Change, row: ClusterEntity): Promise<void> {
    const how = row.mode === 'agent' ? 'agent mode' : `direct, ${row.server ?? 'no server'}`;
    return this.events.registrationChanged({
      type: 'RegistrationChanged',
      kind: 'cluster',
      change,
      name: row.name,
      cluster: row.name,
      message: `cluster "${row.name}" ${change === 'deleted' ? 'deleted' : `registered (${how})`}`,
      initiatedBy: ADMIN,
    });
  }

  /** A repository's URL never holds credentials: registering one that does is refused. */
  repository(change: Change, row: RepositoryEntity): Promise<void> {
    return this.events.registrationChanged({
      type: 'RegistrationChanged',
      kind: 'repository',
      change,
      name: row.id,
      url: row.url,
      message: `repository ${row.url} ${change === 'deleted' ? 'deleted' : 'registered'} (id ${row.id})`,
      initiatedBy: ADMIN,
    });
  }
}
