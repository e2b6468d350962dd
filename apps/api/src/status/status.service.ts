import { AppStatus, decode, Topology } from '@cairn/contracts';
import { ApplicationEntity } from '@cairn/persistence';
import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Counter, Registry } from 'prom-client';
import type { Repository } from 'typeorm';

export type StatusOutcome = 'stored' | 'ignored' | 'invalid';

/**
 * Keeps each application's latest AppStatus, as its reconciler reports it. Messages may
 * come late or twice: one older than what is stored, or from a cluster the application no
 * longer deploys to, changes nothing.
 */
@Injectable()
export class StatusService {
  private readonly logger = new Logger(StatusService.name);
  private readonly consumed: Counter<'outcome'>;

  constructor(
    @InjectRepository(ApplicationEntity) private readonly rows: Repository<ApplicationEntity>,
    private readonly topology: Topology,
    registry: Registry,
  ) {
    this.consumed = new Counter({
      name: 'cairn_api_status_messages_total',
      help: 'AppStatus messages consumed, by outcome (stored, ignored as stale or unknown, invalid).',
      labelNames: ['outcome'],
      registers: [registry],
    });
  }

  /** Never throws for a bad message: redelivering it could not make it valid. */
  async receive(payload: unknown, subject: string): Promise<StatusOutcome> {
    let status: AppStatus;
    try {
      status = decode(AppStatus, payload);
      const address = this.topology.subjects.parse(subject);
      if (address?.cluster !== status.cluster || address.app !== status.app) {
        throw new Error(
          `its app and cluster (${status.cluster}/${status.app}) are not its subject's`,
        );
      }
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      this.logger.warn({ msg: 'dropping invalid status message', subject, reason });
      this.consumed.inc({ outcome: 'invalid' });
      return 'invalid';
    }
    const outcome = (await this.store(status)) ? 'stored' : 'ignored';
    this.consumed.inc({ outcome });
    this.logger.debug({
      msg: `status ${outcome}`,
      app: status.app,
      cluster: status.cluster,
      sync: status.sync.status,
      health: status.health.status,
    });
    return outcome;
  }

  private async store(status: AppStatus): Promise<boolean> {
    const result = await this.rows
      .createQueryBuilder()
      .update(ApplicationEntity)
      // updated_at tracks the registration (its spec), not what the reconciler reports.
      .set({ status: () => ':status', updatedAt: () => '"updated_at"' })
      .setParameter('status', JSON.stringify(status))
      .where('name = :app AND cluster = :cluster', { app: status.app, cluster: status.cluster })
      .andWhere(
        `(status IS NULL OR (status->>'reconciledAt')::timestamptz <= (:reconciledAt)::timestamptz)`,
        { reconciledAt: status.reconciledAt },
      )
      .execute();
    return (result.affected ?? 0) > 0;
  }
}
