import type { ApplicationSpec } from '@cairn/contracts';
import { Injectable, Logger } from '@nestjs/common';
import { ApplicationsService } from '../applications/applications.service';
import { HistoryService } from '../history/history.service';
import { badRequest } from '../http/api-errors';
import { EventPublisher } from '../infrastructure/event-publisher';
import { RegistryMirror } from '../registry/registry-mirror.service';
import { OperationsService } from './operations.service';

/**
 * POST /applications/{name}/rollback: deploys again exactly the bundle a history entry
 * deployed, and turns automated sync off first, so the next poll does not undo it. PUT
 * with syncPolicy.automated turns it back on (ApplicationsService.update).
 */
@Injectable()
export class RollbackService {
  private readonly logger = new Logger(RollbackService.name);

  constructor(
    private readonly applications: ApplicationsService,
    private readonly history: HistoryService,
    private readonly operations: OperationsService,
    private readonly mirror: RegistryMirror,
    private readonly events: EventPublisher,
  ) {}

  async rollback(name: string, historyId: number): Promise<{ id: string }> {
    const row = await this.applications.find(name);
    const entry = await this.history.entry(name, historyId);
    if (!entry) {
      throw badRequest([
        {
          path: 'id',
          reason: `is no history entry of "${name}" (${historyId}): GET /api/v1/applications/${name}/history lists them`,
        },
      ]);
    }
    if (entry.bundleDigest === null) {
      throw badRequest([
        {
          path: 'id',
          reason: `history entry ${historyId} of "${name}" recorded no bundle digest, so what it deployed cannot be deployed again exactly`,
        },
      ]);
    }
    await this.operations.assertIdle(row);
    const command = this.operations.command(name, {
      op: 'rollback',
      historyId,
      revision: entry.revision,
      bundleDigest: entry.bundleDigest,
      prune: (row.spec as ApplicationSpec).syncPolicy.automated?.prune ?? false,
    });
    // Automated sync off before the command: the reconciler must not redeploy the head.
    await this.mirror.write(
      async (manager) => {
        await this.operations.setRolledBack(manager, name, {
          id: historyId,
          revision: entry.revision,
        });
        return row;
      },
      (stored) => this.mirror.putApplication(stored, true),
    );
    await this.operations.start(row, command);
    this.logger.log({ msg: 'rollback requested', app: name, historyId, revision: entry.revision });
    await this.events.appEvent({
      type: 'RolledBack',
      app: name,
      cluster: row.cluster,
      message: `rolled back to history entry ${historyId} (revision ${entry.revision.slice(0, 7)}) by ${command.initiatedBy}; automated sync is off until it is turned back on`,
      revision: entry.revision,
      bundleDigest: entry.bundleDigest,
      historyId,
      initiatedBy: command.initiatedBy,
    });
    return { id: command.id };
  }
}
