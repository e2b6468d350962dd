import { type AppStatus, isDnsLabel } from '@cairn/contracts';
import { ApplicationEntity, ClusterEntity } from '@cairn/persistence';
import { SecretBox } from '@cairn/secrets';
import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { badRequest, conflict, listNames, notFound } from '../http/api-errors';
import { parseRequest } from '../http/parse-request';
import { isForeignKeyViolation, isUniqueViolation } from '../infrastructure/postgres-errors';
import { sealForColumn } from '../infrastructure/sealed-column';
import { RegistrationEvents } from '../registry/registration-events';
import { RegistryMirror } from '../registry/registry-mirror.service';
import { connectionFromConfig, connectionFromKubeconfig } from './cluster-credentials';
import {
  AgentClusterRequest,
  clusterShape,
  DirectClusterRequest,
  KubeconfigClusterRequest,
} from './cluster-request';
import { clusterView, type ClusterView } from './cluster-view';

/** Kubernetes clusters applications deploy to: credentials sealed, mirrored to the registry. */
@Injectable()
export class ClustersService {
  private readonly logger = new Logger(ClustersService.name);

  constructor(
    @InjectRepository(ClusterEntity) private readonly rows: Repository<ClusterEntity>,
    @InjectRepository(ApplicationEntity)
    private readonly applications: Repository<ApplicationEntity>,
    private readonly mirror: RegistryMirror,
    private readonly box: SecretBox,
    private readonly registrations: RegistrationEvents,
  ) {}

  async create(body: unknown): Promise<ClusterView> {
    const row = this.rowFor(body);
    if (await this.rows.existsBy({ name: row.name })) throw alreadyRegistered(row.name);
    try {
      const saved = await this.mirror.write(
        (manager) => manager.save(row),
        (stored) => this.mirror.putCluster(stored),
      );
      this.logger.log({
        msg: 'cluster registered',
        cluster: saved.name,
        mode: saved.mode,
        server: saved.server,
      });
      await this.registrations.cluster('created', saved);
      return clusterView(saved, []);
    } catch (error) {
      if (isUniqueViolation(error)) throw alreadyRegistered(row.name);
      throw error;
    }
  }

  async list(): Promise<ClusterView[]> {
    const [rows, applications] = await Promise.all([
      this.rows.find({ order: { name: 'ASC' } }),
      this.applications.find({ select: { cluster: true, status: true } }),
    ]);
    return rows.map((row) =>
      clusterView(row, statusesOf(applications.filter((app) => app.cluster === row.name))),
    );
  }

  async get(name: string): Promise<ClusterView> {
    const row = await this.find(name);
    const applications = await this.applications.find({
      select: { cluster: true, status: true },
      where: { cluster: name },
    });
    return clusterView(row, statusesOf(applications));
  }

  async delete(name: string): Promise<void> {
    const row = await this.find(name);
    const users = await this.applications.find({
      select: { name: true },
      where: { cluster: name },
      order: { name: 'ASC' },
    });
    if (users.length > 0)
      throw inUse(
        name,
        users.map((app) => app.name),
      );
    try {
      await this.mirror.write(
        (manager) => manager.delete(ClusterEntity, { name }),
        () => this.mirror.remove('clusters', name),
      );
    } catch (error) {
      // An application registered on it since we looked: the foreign key refuses.
      if (isForeignKeyViolation(error)) throw inUse(name, []);
      throw error;
    }
    this.logger.log({ msg: 'cluster deleted', cluster: name });
    await this.registrations.cluster('deleted', row);
  }

  private async find(name: string): Promise<ClusterEntity> {
    const row = isDnsLabel(name) ? await this.rows.findOneBy({ name }) : null;
    if (!row) throw notFound(`cluster "${name}" is not registered`);
    return row;
  }

  /** The row to store for a request body, credentials sealed; a 400 names what is wrong. */
  private rowFor(body: unknown): ClusterEntity {
    switch (clusterShape(body)) {
      case 'agent': {
        const request = parseRequest(AgentClusterRequest, body);
        refuseAgentCredentials(body as Record<string, unknown>);
        return this.rows.create({
          name: request.name,
          mode: 'agent',
          server: request.server ?? null,
          credentialsCiphertext: null,
        });
      }
      case 'kubeconfig': {
        const request = parseRequest(KubeconfigClusterRequest, body);
        refuseMixedShapes(body as Record<string, unknown>);
        return this.direct(request.name, connectionFromKubeconfig(request));
      }
      case 'direct': {
        const request = parseRequest(DirectClusterRequest, body);
        return this.direct(request.name, connectionFromConfig(request));
      }
    }
  }

  private direct(name: string, connection: ReturnType<typeof connectionFromConfig>): ClusterEntity {
    return this.rows.create({
      name,
      mode: 'direct',
      server: connection.server,
      credentialsCiphertext: sealForColumn(this.box, JSON.stringify(connection.credentials)),
    });
  }
}

function statusesOf(applications: ApplicationEntity[]): { status: AppStatus | null }[] {
  return applications.map((app) => ({ status: app.status as AppStatus | null }));
}

function refuseAgentCredentials(body: Record<string, unknown>): void {
  const given = ['kubeconfig', 'config'].filter((field) => body[field] !== undefined);
  if (given.length === 0) return;
  throw badRequest(
    given.map((path) => ({
      path,
      reason:
        'an agent cluster takes no credentials: its in-cluster reconciler uses its own service account',
    })),
  );
}

/** Two sources of one server and its credentials would leave which one counts to chance. */
function refuseMixedShapes(body: Record<string, unknown>): void {
  const given = ['server', 'config'].filter((field) => body[field] !== undefined);
  if (given.length === 0) return;
  throw badRequest(
    given.map((path) => ({
      path,
      reason: 'give either a kubeconfig, or server and config, not both',
    })),
  );
}

function alreadyRegistered(name: string) {
  return conflict(`cluster "${name}" is already registered`);
}

function inUse(name: string, applications: string[]) {
  const which = applications.length > 0 ? ` ${listNames(applications)}` : '';
  return conflict(
    `cluster "${name}" is still the destination of application(s)${which}: delete them or move them to another cluster first`,
  );
}
