import { normalizeRepositoryUrl } from '@cairn/git';
import { ApplicationEntity, RepositoryEntity } from '@cairn/persistence';
import { SecretBox } from '@cairn/secrets';
import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { badRequest, conflict, listNames, notFound } from '../http/api-errors';
import { sealForColumn } from '../infrastructure/sealed-column';
import { isUniqueViolation } from '../infrastructure/postgres-errors';
import { RegistrationEvents } from '../registry/registration-events';
import { RegistryMirror } from '../registry/registry-mirror.service';
import type { RepositoryRequest } from './repository-request';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Git repositories Cairn polls: stored with their credentials sealed, mirrored to the registry. */
@Injectable()
export class RepositoriesService {
  private readonly logger = new Logger(RepositoriesService.name);

  constructor(
    @InjectRepository(RepositoryEntity) private readonly rows: Repository<RepositoryEntity>,
    @InjectRepository(ApplicationEntity)
    private readonly applications: Repository<ApplicationEntity>,
    private readonly mirror: RegistryMirror,
    private readonly box: SecretBox,
    private readonly registrations: RegistrationEvents,
  ) {}

  async create(request: RepositoryRequest): Promise<RepositoryEntity> {
    const urlNormalized = repositoryIdentity(request.url);
    const existing = await this.rows.findOneBy({ urlNormalized });
    if (existing) throw alreadyRegistered(request.url, existing.id);
    const row = this.rows.create({
      url: request.url.trim(),
      urlNormalized,
      username: request.username ?? null,
      passwordCiphertext: sealForColumn(this.box, request.password),
      webhookSecretCiphertext: sealForColumn(this.box, request.webhookSecret),
      ...(request.pollIntervalSeconds !== undefined && {
        pollIntervalSeconds: request.pollIntervalSeconds,
      }),
    });
    try {
      const saved = await this.mirror.write(
        (manager) => manager.save(row),
        (stored) => this.mirror.putRepository(stored),
      );
      this.logger.log({ msg: 'repository registered', repository: saved.id, url: saved.url });
      await this.registrations.repository('created', saved);
      return saved;
    } catch (error) {
      // Registered by a concurrent request between our look-up and our insert.
      if (isUniqueViolation(error)) throw alreadyRegistered(request.url);
      throw error;
    }
  }

  list(): Promise<RepositoryEntity[]> {
    return this.rows.find({ order: { createdAt: 'ASC' } });
  }

  async get(id: string): Promise<RepositoryEntity> {
    const row = UUID.test(id) ? await this.rows.findOneBy({ id }) : null;
    if (!row) throw notFound(`repository "${id}" is not registered`);
    return row;
  }

  async delete(id: string): Promise<void> {
    const row = await this.get(id);
    const users = (await this.applications.find({ order: { name: 'ASC' } }))
      .filter((app) => sourceIdentity(app) === row.urlNormalized)
      .map((app) => app.name);
    if (users.length > 0) {
      throw conflict(
        `repository ${row.url} is still used by application(s) ${listNames(users)}: delete them or point them elsewhere first`,
      );
    }
    await this.mirror.write(
      (manager) => manager.delete(RepositoryEntity, { id }),
      () => this.mirror.remove('repositories', id),
    );
    this.logger.log({ msg: 'repository deleted', repository: id, url: row.url });
    await this.registrations.repository('deleted', row);
  }
}

/** The normalized URL; a 400 naming `url` when it is no repository URL or carries credentials. */
function repositoryIdentity(url: string): string {
  try {
    const parsed = new URL(url.trim());
    if (parsed.username || parsed.password) {
      throw new Error('must not carry credentials: give them as username and password');
    }
  } catch (error) {
    if (!(error instanceof TypeError)) throw badRequest([{ path: 'url', reason: message(error) }]);
    // Not a WHATWG URL: scp-like `git@host:org/repo`, which normalizeRepositoryUrl handles.
  }
  try {
    return normalizeRepositoryUrl(url);
  } catch (error) {
    throw badRequest([{ path: 'url', reason: message(error) }]);
  }
}

function sourceIdentity(app: ApplicationEntity): string | undefined {
  const source = app.spec.source as { repoURL?: string } | undefined;
  try {
    return source?.repoURL ? normalizeRepositoryUrl(source.repoURL) : undefined;
  } catch {
    return undefined;
  }
}

function alreadyRegistered(url: string, id?: string) {
  return conflict(
    `repository ${url} is already registered${id ? ` (id ${id})` : ''}: URLs that differ only in case of the host, a .git suffix or a trailing slash are the same repository`,
  );
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
