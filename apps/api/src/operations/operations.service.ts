import { randomUUID } from 'node:crypto';
import type { AppStatus, Command } from '@cairn/contracts';
import {
  type ApplicationEntity,
  ApplicationOperationEntity,
  type RollbackState,
} from '@cairn/persistence';
import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { EntityManager, Repository } from 'typeorm';
import { conflict, unavailable } from '../http/api-errors';
import { CommandPublisher } from '../infrastructure/command-publisher';
import { runningOperation } from './running-operation';

/** Who the single admin token speaks for, in commands, history and audit. */
export const ADMIN = 'admin';

type CommandBody<C extends Command = Command> = C extends Command
  ? Omit<C, 'v' | 'id' | 'app' | 'initiatedBy' | 'requestedAt'>
  : never;

/**
 * Operations users start on applications: turned into commands for the application's
 * reconciler, one at a time per application, and remembered (the last one queued, and a
 * rollback in force) so that the next request, history and the registry know of them.
 */
@Injectable()
export class OperationsService {
  private readonly logger = new Logger(OperationsService.name);

  constructor(
    @InjectRepository(ApplicationOperationEntity)
    private readonly rows: Repository<ApplicationOperationEntity>,
    private readonly commands: CommandPublisher,
  ) {}

  state(app: string): Promise<ApplicationOperationEntity | null> {
    return this.rows.findOneBy({ app });
  }

  all(): Promise<ApplicationOperationEntity[]> {
    return this.rows.find();
  }

  async rolledBack(app: string): Promise<RollbackState | null> {
    return (await this.state(app))?.rolledBack ?? null;
  }

  /** 409 naming the running operation, when one runs. */
  async assertIdle(row: ApplicationEntity): Promise<void> {
    const queued = (await this.state(row.name))?.lastOperation ?? null;
    const running = runningOperation(row.status as AppStatus | null, queued, new Date());
    if (running) {
      throw conflict(
        `application "${row.name}" has an operation in progress: ${running}; wait for it to finish`,
      );
    }
  }

  /** A command for the application, not yet published. */
  command(app: string, body: CommandBody): Command {
    return {
      v: 1,
      id: randomUUID(),
      app,
      initiatedBy: ADMIN,
      requestedAt: new Date().toISOString(),
      ...body,
    } as Command;
  }

  /** Queues the operation, then remembers it (in the caller's transaction, when given). */
  async start(row: ApplicationEntity, command: Command, manager?: EntityManager): Promise<void> {
    const { id, op, initiatedBy, requestedAt } = command;
    await this.publish(row, command);
    const repository = manager?.getRepository(ApplicationOperationEntity) ?? this.rows;
    await repository.upsert(
      { app: row.name, lastOperation: { id, op, initiatedBy, requestedAt } },
      ['app'],
    );
  }

  async publish(row: ApplicationEntity, command: Command): Promise<void> {
    try {
      await this.commands.publish(row.cluster, command);
    } catch (error) {
      this.logger.error({ msg: `${command.op} command not published`, app: row.name, err: error });
      throw unavailable(`the ${command.op} of "${row.name}" could not be queued (NATS): try again`);
    }
    this.logger.log({
      msg: `${command.op} requested`,
      app: row.name,
      cluster: row.cluster,
      command: command.id,
    });
  }

  async setRolledBack(
    manager: EntityManager,
    app: string,
    rolledBack: RollbackState | null,
  ): Promise<void> {
    await manager.getRepository(ApplicationOperationEntity).upsert({ app, rolledBack }, ['app']);
  }

  async forget(manager: EntityManager, app: string): Promise<void> {
    await manager.delete(ApplicationOperationEntity, { app });
  }
}
