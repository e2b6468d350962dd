import {
  ApplicationEntity,
  ApplicationOperationEntity,
  ClusterEntity,
  RepositoryEntity,
} from '@cairn/persistence';
import { RegistryWriter } from '@cairn/registry';
import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, type EntityManager, type Repository } from 'typeorm';
import { unavailable } from '../http/api-errors';
import {
  applicationRegistration,
  clusterRegistration,
  repositoryRegistration,
} from './registrations';

type Kind = 'repositories' | 'clusters' | 'applications';

/**
 * Keeps the registry buckets equal to PostgreSQL, the source of truth. Each write goes to
 * the database first and then here; at start every row is put again and every key without
 * a row removed, which also repairs whatever a crash between the two left behind.
 */
@Injectable()
export class RegistryMirror implements OnModuleInit {
  private readonly logger = new Logger(RegistryMirror.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly writer: RegistryWriter,
    @InjectRepository(RepositoryEntity) private readonly repositories: Repository<RepositoryEntity>,
    @InjectRepository(ClusterEntity) private readonly clusters: Repository<ClusterEntity>,
    @InjectRepository(ApplicationEntity)
    private readonly applications: Repository<ApplicationEntity>,
    @InjectRepository(ApplicationOperationEntity)
    private readonly operations: Repository<ApplicationOperationEntity>,
  ) {}

  async onModuleInit(): Promise<void> {
    const [repositories, clusters, applications] = await Promise.all([
      this.repositories.find(),
      this.clusters.find(),
      this.applications.find(),
    ]);
    await Promise.all(repositories.map((row) => this.putRepository(row)));
    await Promise.all(clusters.map((row) => this.putCluster(row)));
    await Promise.all(applications.map((row) => this.putApplication(row)));
    const removed = [
      ...(await this.removeOthers(
        'repositories',
        repositories.map((row) => row.id),
      )),
      ...(await this.removeOthers(
        'clusters',
        clusters.map((row) => row.name),
      )),
      ...(await this.removeOthers(
        'applications',
        applications.map((row) => row.name),
      )),
    ];
    this.logger.log({
      msg: 'registry mirrored from PostgreSQL',
      repositories: repositories.length,
      clusters: clusters.length,
      applications: applications.length,
      removed,
    });
  }

  /**
   * Writes to PostgreSQL and mirrors the result within one transaction: when NATS does not
   * take the change, the database does not keep it either, and the caller gets a 503.
   * `mirror` reads through the transaction's `manager`, never the pool: a transaction that
   * waited for a second connection would deadlock the pool once as many writes as it
   * has connections ran at once (a bulk registration does).
   */
  async write<T>(
    store: (manager: EntityManager) => Promise<T>,
    mirror: (stored: T, manager: EntityManager) => Promise<void>,
  ): Promise<T> {
    return this.dataSource.transaction(async (manager) => {
      const stored = await store(manager);
      try {
        await mirror(stored, manager);
      } catch (error) {
        this.logger.error({ msg: 'registry write failed; change rolled back', err: error });
        throw unavailable(
          'the registry (NATS) did not accept the change, so it was not made; try again',
        );
      }
      return stored;
    });
  }

  putRepository(row: RepositoryEntity): Promise<void> {
    return this.writer.putRepository(repositoryRegistration(row));
  }

  putCluster(row: ClusterEntity): Promise<void> {
    return this.writer.putCluster(clusterRegistration(row));
  }

  /**
   * `rolledBack` as the caller's transaction has it; left out, as stored (read through the
   * caller's transaction `manager` when it is in one).
   */
  async putApplication(
    row: ApplicationEntity,
    rolledBack?: boolean,
    manager?: EntityManager,
  ): Promise<void> {
    const operations = manager?.getRepository(ApplicationOperationEntity) ?? this.operations;
    const isRolledBack =
      rolledBack ?? Boolean((await operations.findOneBy({ app: row.name }))?.rolledBack);
    await this.writer.putApplication(applicationRegistration(row, isRolledBack));
  }

  remove(kind: Kind, key: string): Promise<void> {
    return this.writer.delete(kind, key);
  }

  private async removeOthers(kind: Kind, keep: string[]): Promise<string[]> {
    const kept = new Set(keep);
    const stale = (await this.writer.keys(kind)).filter((key) => !kept.has(key));
    await Promise.all(stale.map((key) => this.writer.delete(kind, key)));
    return stale.map((key) => `${kind}/${key}`);
  }
}
