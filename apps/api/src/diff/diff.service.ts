import {
  decode,
  DiffReply,
  DiffRequest,
  diffSubject,
  encode,
  isDnsLabel,
  type ResourceDiff,
  Topology,
} from '@cairn/contracts';
import { ApplicationEntity } from '@cairn/persistence';
import { RequestError, TimeoutError } from '@nats-io/transport-node';
import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { notFound, unavailable } from '../http/api-errors';
import { NatsClient } from '../infrastructure/nats-client';

/** What GET /applications/{name}/diff answers. */
export interface ApplicationDiff {
  app: string;
  cluster: string;
  /** The git revision the declared objects come from. */
  revision?: string;
  /** The objects that differ from git: none when the app is in sync. */
  resources: ResourceDiff[];
}

/** A diff dry-runs every object of the app: allow a big app its time. */
const DIFF_TIMEOUT_MS = 30_000;

/**
 * Asks the reconciler that serves the app's cluster how the app differs from git (over
 * NATS request/reply; the reconciler holds the live state, the api does not). Secret
 * values arrive masked.
 */
@Injectable()
export class DiffService {
  private readonly logger = new Logger(DiffService.name);

  constructor(
    @InjectRepository(ApplicationEntity)
    private readonly applications: Repository<ApplicationEntity>,
    private readonly nats: NatsClient,
    private readonly topology: Topology,
  ) {}

  async diff(name: string): Promise<ApplicationDiff> {
    const row = isDnsLabel(name) ? await this.applications.findOneBy({ name }) : null;
    if (!row) throw notFound(`application "${name}" is not registered`);
    const reply = await this.ask(row.cluster, name);
    if (!reply.ok) {
      if (reply.reason === 'NotFound') throw notFound(reply.message);
      throw unavailable(
        `cluster "${row.cluster}" could not compare application "${name}": ${reply.message}`,
      );
    }
    return {
      app: reply.app,
      cluster: reply.cluster,
      revision: reply.revision,
      resources: reply.resources,
    };
  }

  private async ask(cluster: string, app: string): Promise<DiffReply> {
    const subject = diffSubject(this.topology, cluster);
    try {
      const message = await this.nats.connection.request(
        subject,
        encode(DiffRequest, { v: 1, app }),
        {
          timeout: DIFF_TIMEOUT_MS,
        },
      );
      return decode(DiffReply, message.data);
    } catch (error) {
      if (error instanceof RequestError && error.isNoResponders())
        throw unavailable(
          `no reconciler serves cluster "${cluster}" right now; try again once it runs`,
        );
      if (
        error instanceof TimeoutError ||
        (error instanceof RequestError && error.cause instanceof TimeoutError)
      )
        throw unavailable(
          `the reconciler of cluster "${cluster}" did not answer within ${DIFF_TIMEOUT_MS / 1000} s`,
        );
      this.logger.warn({ msg: 'diff request failed', app, cluster, error: String(error) });
      throw unavailable(
        `cannot ask the reconciler of cluster "${cluster}": ${(error as Error).message}`,
      );
    }
  }
}
