import { isDnsLabel } from '@cairn/contracts';
import { normalizeRepositoryUrl } from '@cairn/git';
import { ApplicationEntity, ClusterEntity, SyncHistoryEntity } from '@cairn/persistence';
import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { QueryDeepPartialEntity, Repository } from 'typeorm';
import { historySummary } from '../history/history-view';
import { HistoryService } from '../history/history.service';
import { badRequest, conflict, notFound, type Problem } from '../http/api-errors';
import { isUniqueViolation } from '../infrastructure/postgres-errors';
import { OperationsService } from '../operations/operations.service';
import { RegistrationEvents } from '../registry/registration-events';
import { RegistryMirror } from '../registry/registry-mirror.service';
import { type ApplicationFilters, matchesFilters } from './application-filters';
import type { ApplicationManifest, SyncRequest } from './application-manifest';
import { applicationView, type ApplicationView, type OperationsView } from './application-view';
import { resolveDestination } from './destination';

/** Applications: where their manifests are, where they go; stored, mirrored, and synced on request. */
@Injectable()
export class ApplicationsService {
  private readonly logger = new Logger(ApplicationsService.name);

  constructor(
    @InjectRepository(ApplicationEntity) private readonly rows: Repository<ApplicationEntity>,
    @InjectRepository(ClusterEntity) private readonly clusters: Repository<ClusterEntity>,
    private readonly mirror: RegistryMirror,
    private readonly operations: OperationsService,
    private readonly history: HistoryService,
    private readonly registrations: RegistrationEvents,
  ) {}

  async create(manifest: ApplicationManifest): Promise<ApplicationView> {
    const { name } = manifest.metadata;
    const cluster = await this.checkSpec(manifest);
    if (await this.rows.existsBy({ name })) throw alreadyRegistered(name);
    const row = this.rows.create({
      name,
      labels: manifest.metadata.labels ?? {},
      spec: manifest.spec,
      cluster,
      status: null,
    });
    try {
      const saved = await this.store(row, 'insert');
      this.logger.log({ msg: 'application registered', app: name, cluster });
      await this.registrations.application('created', saved);
      return applicationView(saved);
    } catch (error) {
      if (isUniqueViolation(error)) throw alreadyRegistered(name);
      throw error;
    }
  }

  async list(filters: ApplicationFilters): Promise<ApplicationView[]> {
    const rows = await this.rows.find({ order: { name: 'ASC' } });
    const operations = await this.operationsOfAll();
    return rows
      .map((row) => ({
        view: applicationView(row, operations(row.name)),
        cluster: row.cluster,
      }))
      .filter((app) => matchesFilters(app, filters))
      .map((app) => app.view);
  }

  /** The applications a bulk operation selects, by name. */
  async matching(selection: Pick<ApplicationFilters, 'selector' | 'cluster' | 'namespace'>) {
    const rows = await this.rows.find({ order: { name: 'ASC' } });
    return rows.filter((row) =>
      matchesFilters({ view: applicationView(row), cluster: row.cluster }, selection),
    );
  }

  async get(name: string): Promise<ApplicationView> {
    return applicationView(await this.find(name), await this.operationsOf(name));
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
    row.labels = manifest.metadata.labels ?? {};
    row.cluster = cluster;
    // Automated sync turned (back) on ends a rollback: the app returns to its branch head.
    const resumes =
      manifest.spec.syncPolicy.automated !== undefined &&
      (await this.operations.rolledBack(name)) !== null;
    const saved = resumes
      ? await this.mirror.write(
          async (manager) => {
            await this.operations.setRolledBack(manager, name, null);
            return manager.save(row);
          },
          (stored) => this.mirror.putApplication(stored, false),
        )
      : await this.store(row);
    this.logger.log({ msg: 'application updated', app: name, cluster, resumes });
    await this.registrations.application(
      'updated',
      saved,
      resumes ? 'automated sync is on again: it returns to the branch head' : undefined,
    );
    if (resumes) await this.operations.start(saved, this.operations.command(name, { op: 'sync' }));
    return applicationView(saved, await this.operationsOf(name));
  }

  /**
   * Forgets the application. With `cascade`, its reconciler first gets a delete command and
   * removes what the app deployed; without, what it deployed stays where it is.
   */
  async delete(name: string, cascade: boolean): Promise<void> {
    const row = await this.find(name);
    if (cascade) {
      await this.operations.publish(row, this.operations.command(name, { op: 'delete', cascade }));
    }
    await this.mirror.write(
      async (manager) => {
        await manager.delete(SyncHistoryEntity, { app: name });
        await this.operations.forget(manager, name);
        await manager.delete(ApplicationEntity, { name });
      },
      () => this.mirror.remove('applications', name),
    );
    this.logger.log({ msg: 'application deleted', app: name, cascade });
    await this.registrations.application(
      'deleted',
      row,
      cascade ? 'what it deployed is being removed' : 'what it deployed is left running',
    );
  }

  async sync(name: string, request: SyncRequest): Promise<{ id: string }> {
    const row = await this.find(name);
    await this.operations.assertIdle(row);
    const command = this.operations.command(name, { op: 'sync', ...request });
    await this.operations.start(row, command);
    return { id: command.id };
  }

  async find(name: string): Promise<ApplicationEntity> {
    const row = isDnsLabel(name) ? await this.rows.findOneBy({ name }) : null;
    if (!row) throw notFound(`application "${name}" is not registered`);
    return row;
  }

  private async operationsOf(name: string): Promise<OperationsView> {
    const [history, rolledBack] = await Promise.all([
      this.history.list(name),
      this.operations.rolledBack(name),
    ]);
    return { history: history.map(historySummary), rolledBack };
  }

  /** Everything list() shows, in two queries rather than two per application. */
  private async operationsOfAll(): Promise<(name: string) => OperationsView> {
    const [history, states] = await Promise.all([this.history.all(), this.operations.all()]);
    // Grouped once: a search of every row per application is quadratic in a fleet's size.
    const historyOf = new Map<string, typeof history>();
    for (const row of history) {
      const rows = historyOf.get(row.app);
      if (rows) rows.push(row);
      else historyOf.set(row.app, [row]);
    }
    const rolledBackOf = new Map(states.map((state) => [state.app, state.rolledBack]));
    return (name) => ({
      history: (historyOf.get(name) ?? []).map(historySummary),
      rolledBack: rolledBackOf.get(name) ?? null,
    });
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

  /**
   * A create inserts: of two POSTs of one name at once, the second fails on the primary key
   * (a 409) instead of save() quietly updating what the first registered.
   */
  private store(row: ApplicationEntity, how: 'insert' | 'save' = 'save') {
    return this.mirror.write(
      async (manager) => {
        if (how === 'save') return manager.save(row);
        // spec is JSON: typeorm's deep-partial type cannot see that a record is a whole value.
        await manager.insert(ApplicationEntity, row as QueryDeepPartialEntity<ApplicationEntity>);
        return manager.findOneByOrFail(ApplicationEntity, { name: row.name });
      },
      (stored, manager) => this.mirror.putApplication(stored, undefined, manager),
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
