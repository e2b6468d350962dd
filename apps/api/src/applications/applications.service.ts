import { randomUUID } from 'node:crypto';
import { type Command, isDnsLabel } from '@cairn/contracts';
import { normalizeRepositoryUrl } from '@cairn/git';
import { ApplicationEntity, ClusterEntity } from '@cairn/persistence';
import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { badRequest, conflict, notFound, type Problem, unavailable } from '../http/api-errors';
import { CommandPublisher } from '../infrastructure/command-publisher';
import { isUniqueViolation } from '../infrastructure/postgres-errors';
import { RegistryMirror } from '../registry/registry-mirror.service';
import { type ApplicationFilters, matchesFilters } from './application-filters';
import type { ApplicationManifest, SyncRequest } from './application-manifest';
import { applicationView, type ApplicationView } from './application-view';
import { resolveDestination } from './destination';

/** Who the single admin token speaks for, in commands and history. */
const ADMIN = 'admin';

/** Applications: where their manifests are, where they go; stored, mirrored, and synced on request. */
@Injectable()
export class ApplicationsService {
  private readonly logger = new Logger(ApplicationsService.name);

  constructor(
    @InjectRepository(ApplicationEntity) private readonly rows: Repository<ApplicationEntity>,
    @InjectRepository(ClusterEntity) private readonly clusters: Repository<ClusterEntity>,
    private readonly mirror: RegistryMirror,
    private readonly commands: CommandPublisher,
  ) {}

  async create(manifest: ApplicationManifest): Promise<ApplicationView> {
    const { name } = manifest.metadata;
    const cluster = await this.checkSpec(manifest);
    if (await this.rows.existsBy({ name })) throw alreadyRegistered(name);
    const row = this.rows.create({ name, spec: manifest.spec, cluster, status: null });
    try {
      const saved = await this.store(row);
      this.logger.log({ msg: 'application registered', app: name, cluster });
      return applicationView(saved);
    } catch (error) {
      if (isUniqueViolation(error)) throw alreadyRegistered(name);
      throw error;
    }
  }

  async list(filters: ApplicationFilters): Promise<ApplicationView[]> {
    const rows = await this.rows.find({ order: { name: 'ASC' } });
    return rows
      .map((row) => ({ view: applicationView(row), cluster: row.cluster }))
      .filter((app) => matchesFilters(app, filters))
      .map((app) => app.view);
  }

  async get(name: string): Promise<ApplicationView> {
    return applicationView(await this.find(name));
  }

  async update(name: string, manifest: ApplicationManifest): Promise<ApplicationView> {
    if (manifest.metadata.name !== name) {
      throw badRequest([
        {
          path: 'metadata.name',
          reason: `is "${manifest.metadata.name}" but the URL names "${name}": an application cannot be renamed`,
        },
      ]);
    }
    const row = await this.find(name);
    const cluster = await this.checkSpec(manifest);
    // A status from the cluster it left says nothing about the one it goes to.
    if (cluster !== row.cluster) row.status = null;
    row.spec = manifest.spec;
    row.cluster = cluster;
    const saved = await this.store(row);
    this.logger.log({ msg: 'application updated', app: name, cluster });
    return applicationView(saved);
  }

  /** Forgets the application; what it deployed stays where it is. */
  async delete(name: string): Promise<void> {
    await this.find(name);
    await this.mirror.write(
      (manager) => manager.delete(ApplicationEntity, { name }),
      () => this.mirror.remove('applications', name),
    );
    this.logger.log({ msg: 'application deleted', app: name });
  }

  async sync(name: string, request: SyncRequest): Promise<{ id: string }> {
    const row = await this.find(name);
    const command: Command = {
      v: 1,
      op: 'sync',
      id: randomUUID(),
      app: name,
      initiatedBy: ADMIN,
      requestedAt: new Date().toISOString(),
      ...request,
    };
    try {
      await this.commands.publish(row.cluster, command);
    } catch (error) {
      this.logger.error({ msg: 'sync command not published', app: name, err: error });
      throw unavailable(`the sync of "${name}" could not be queued (NATS): try again`);
    }
    this.logger.log({
      msg: 'sync requested',
      app: name,
      cluster: row.cluster,
      command: command.id,
    });
    return { id: command.id };
  }

  private async find(name: string): Promise<ApplicationEntity> {
    const row = isDnsLabel(name) ? await this.rows.findOneBy({ name }) : null;
    if (!row) throw notFound(`application "${name}" is not registered`);
    return row;
  }

  /** Checks what the schema cannot: the repository URL, and that the destination is registered. */
  private async checkSpec({ spec }: ApplicationManifest): Promise<string> {
    const resolved = resolveDestination(
      spec.destination,
      await this.clusters.find({ select: { name: true, server: true } }),
    );
    const problems = [
      repositoryProblem(spec.source.repoURL),
      'problem' in resolved ? resolved.problem : undefined,
    ];
    if ('cluster' in resolved && problems.every((problem) => problem === undefined)) {
      return resolved.cluster;
    }
    throw badRequest(problems.filter((problem) => problem !== undefined));
  }

  private store(row: ApplicationEntity): Promise<ApplicationEntity> {
    return this.mirror.write(
      (manager) => manager.save(row),
      (stored) => this.mirror.putApplication(stored),
    );
  }
}

function repositoryProblem(repoURL: string): Problem | undefined {
  const path = 'spec.source.repoURL';
  // It is shown by every GET: a password in it would be returned to anyone who reads.
  if (URL.canParse(repoURL) && new URL(repoURL).password) {
    return {
      path,
      reason: 'must not carry a password: register the repository with its credentials',
    };
  }
  try {
    normalizeRepositoryUrl(repoURL);
    return undefined;
  } catch (error) {
    return { path, reason: (error as Error).message };
  }
}

function alreadyRegistered(name: string) {
  return conflict(
    `application "${name}" already exists: change it with PUT /api/v1/applications/${name}`,
  );
}
