import { randomBytes } from 'node:crypto';
// Specs are not shipped, so test tooling is fine here (the rule guards library code).
import { testInfra } from '@cairn/testing';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cairnDataSourceOptions } from './data-source-options';
import { AppEventEntity, ApplicationEntity, ClusterEntity, RepositoryEntity } from './entities';

describe('persistence: migrations and entities on the real PostgreSQL', () => {
  const { databaseUrl } = testInfra();
  // A schema of this test file's own, so it never sees another test's tables.
  const schema = `persistence_${randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: databaseUrl });
  const open = (migrationsRun = false) =>
    new DataSource(
      cairnDataSourceOptions({ url: databaseUrl, schema, migrationsRun }),
    ).initialize();
  let dataSource: DataSource;

  const tables = async () =>
    (
      await admin.query<{ table_name: string }>(
        'SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name',
        [schema],
      )
    ).rows.map((row) => row.table_name);

  beforeAll(async () => {
    await admin.connect();
    await admin.query(`CREATE SCHEMA "${schema}"`);
    dataSource = await open();
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await admin.end();
  });

  it('creates the tables by migration, not before', async () => {
    expect(await tables()).toEqual([]);

    const applied = await dataSource.runMigrations();

    expect(applied.map((migration) => migration.name)).toEqual([
      'InitialSchema1764136800000',
      'ClustersOfApplicationsAndEvents1764223200000',
      'HistoryOperationsAndAudit1764309600000',
      'ApplicationLabels1764396000000',
    ]);
    expect(await tables()).toEqual([
      'app_events',
      'application_operations',
      'applications',
      'audit_records',
      'cairn_migrations',
      'clusters',
      'repositories',
      'sync_history',
    ]);
  });

  it('has entities that match the migrated schema exactly', async () => {
    const pending = await dataSource.driver.createSchemaBuilder().log();
    expect(pending.upQueries.map((query) => query.query)).toEqual([]);
  });

  it('stores and reads back a repository, with defaults and ciphertexts intact', async () => {
    const repositories = dataSource.getRepository(RepositoryEntity);
    const saved = await repositories.save(
      repositories.create({
        url: 'https://git.example.com/org/apps.git',
        urlNormalized: 'https://git.example.com/org/apps',
        username: 'cairn',
        passwordCiphertext: Buffer.from([0, 1, 2, 255]),
      }),
    );

    const read = await repositories.findOneByOrFail({ id: saved.id });
    expect(read).toMatchObject({
      url: 'https://git.example.com/org/apps.git',
      urlNormalized: 'https://git.example.com/org/apps',
      username: 'cairn',
      passwordCiphertext: Buffer.from([0, 1, 2, 255]),
      pollIntervalSeconds: 15,
      webhookSecretCiphertext: null,
    });
    expect(read.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(read.createdAt).toBeInstanceOf(Date);
  });

  it('registers a repository only once, by its normalized URL', async () => {
    const repositories = dataSource.getRepository(RepositoryEntity);
    const urlNormalized = 'https://git.example.com/org/once';
    await repositories.insert({ url: 'https://git.example.com/org/once', urlNormalized });
    await expect(
      repositories.insert({ url: 'https://GIT.example.com/org/once.git/', urlNormalized }),
    ).rejects.toThrow(/repositories_url_normalized_key/);
  });

  it('stores clusters and refuses an unknown mode', async () => {
    const clusters = dataSource.getRepository(ClusterEntity);
    await clusters.insert({
      name: 'edge-1',
      mode: 'agent',
      server: null,
      credentialsCiphertext: null,
    });

    expect(await clusters.findOneByOrFail({ name: 'edge-1' })).toMatchObject({
      mode: 'agent',
      server: null,
    });
    await expect(clusters.insert({ name: 'odd', mode: 'sideways' as never })).rejects.toThrow(
      /clusters_mode_check/,
    );
  });

  it('keeps an application spec and status as JSON and tracks when it changed', async () => {
    const applications = dataSource.getRepository(ApplicationEntity);
    const spec = {
      source: {
        repoURL: 'https://git.example.com/org/apps',
        path: 'guestbook',
        targetRevision: 'HEAD',
      },
      destination: { name: 'edge-1', namespace: 'guestbook' },
      syncPolicy: {
        automated: { prune: true, selfHeal: true },
        syncOptions: ['CreateNamespace=true'],
      },
    };
    const created = await applications.save(
      applications.create({ name: 'guestbook', spec, cluster: 'edge-1', status: null }),
    );

    await applications.update(
      { name: 'guestbook' },
      { status: { sync: { status: 'Synced', revision: 'abc' } } },
    );
    const read = await applications.findOneByOrFail({ name: 'guestbook' });

    expect(read.spec).toEqual(spec);
    expect(read.labels).toEqual({});
    expect(read.status).toEqual({ sync: { status: 'Synced', revision: 'abc' } });
    expect(read.updatedAt.getTime()).toBeGreaterThan(created.updatedAt.getTime());
  });

  it('refuses an application on an unregistered cluster, and deleting a cluster in use', async () => {
    const applications = dataSource.getRepository(ApplicationEntity);
    await expect(
      applications.insert({ name: 'stray', spec: {}, cluster: 'nowhere', status: null }),
    ).rejects.toThrow(/applications_cluster_fkey/);
    await expect(
      dataSource.getRepository(ClusterEntity).delete({ name: 'edge-1' }),
    ).rejects.toThrow(/applications_cluster_fkey/);
  });

  it('keeps events once per stream sequence, readable per app in order', async () => {
    const events = dataSource.getRepository(AppEventEntity);
    const event = (seq: string, type: string) => ({
      seq,
      app: 'guestbook',
      cluster: 'edge-1',
      type,
      time: new Date('2025-01-31T12:00:00Z'),
      event: { type },
    });
    await events.insert([event('9007199254740993', 'SyncSucceeded'), event('7', 'SyncStarted')]);
    await events.upsert([event('7', 'SyncStarted')], {
      conflictPaths: ['seq'],
      skipUpdateIfNoValuesChanged: true,
    });

    const read = await events.find({ where: { app: 'guestbook' }, order: { seq: 'ASC' } });
    expect(read.map((row) => [row.seq, row.type])).toEqual([
      ['7', 'SyncStarted'],
      ['9007199254740993', 'SyncSucceeded'],
    ]);
  });

  it('treats running the migrations again, also at start-up, as a no-op', async () => {
    expect(await dataSource.runMigrations()).toEqual([]);

    const second = await open(true);
    try {
      expect(await second.showMigrations()).toBe(false);
    } finally {
      await second.destroy();
    }
    const recorded = await admin.query(
      `SELECT name FROM "${schema}"."cairn_migrations" ORDER BY id`,
    );
    expect(recorded.rows).toEqual([
      { name: 'InitialSchema1764136800000' },
      { name: 'ClustersOfApplicationsAndEvents1764223200000' },
      { name: 'HistoryOperationsAndAudit1764309600000' },
      { name: 'ApplicationLabels1764396000000' },
    ]);
    expect(await dataSource.getRepository(RepositoryEntity).count()).toBe(2);
  });

  it('undoes the labels migration, dropping only the labels column', async () => {
    const columns = async () =>
      (
        await admin.query(
          `SELECT column_name FROM information_schema.columns WHERE table_schema = $1 AND table_name = 'applications' ORDER BY column_name`,
          [schema],
        )
      ).rows.map((row: { column_name: string }) => row.column_name);
    expect(await columns()).toContain('labels');

    await dataSource.undoLastMigration();

    expect(await columns()).not.toContain('labels');
    expect(await columns()).toContain('spec');
  });

  it('undoes the history, operations and audit migration, dropping only its tables', async () => {
    await dataSource.undoLastMigration();

    expect(await tables()).toEqual([
      'app_events',
      'applications',
      'cairn_migrations',
      'clusters',
      'repositories',
    ]);
  });

  it('undoes the second migration back to the initial schema, normalized URLs kept', async () => {
    await dataSource.undoLastMigration();

    expect(await tables()).toEqual([
      'applications',
      'cairn_migrations',
      'clusters',
      'repositories',
    ]);
    const urls = await admin.query(`SELECT url FROM "${schema}"."repositories" ORDER BY url`);
    expect(urls.rows).toEqual([
      { url: 'https://git.example.com/org/apps' },
      { url: 'https://git.example.com/org/once' },
    ]);
  });

  it('drops the tables when the first migration is undone too', async () => {
    await dataSource.undoLastMigration();

    expect(await tables()).toEqual(['cairn_migrations']);
    expect((await admin.query(`SELECT name FROM "${schema}"."cairn_migrations"`)).rows).toEqual([]);
  });
});
