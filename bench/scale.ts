import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { parseArgs, promisify } from 'node:util';
import { type ApplicationView, type CairnClient, isSyncedAndHealthy } from '@cairn/client';
import { ensureBinaries, type LocalCluster, startClusters, stopClusters } from '@cairn/cluster';
import { SERVICES, type ServiceName } from '@cairn/stack';
import { type CairnUnderTest, provisionTestInfra, startCairn } from '@cairn/testing/infra';
import { type AuditCount, AuditWindow, describeRequests } from './audit-window';
import { createFleetRepositories, type FleetApp, fleetApps, type FleetShape } from './scale-fleet';
import { loadAverage, metrics, sleep } from './process-usage';
import { CpuMeter, peakRssMiB, rssMiB, scrape, spent } from './scale-usage';

/**
 * Cairn at fleet scale, on real parts: N apps of a few objects each (a Deployment of one
 * replica, its Service, ConfigMap, ServiceAccount, Secret, ...) in R git repositories, over M
 * namespaces (CreateNamespace=true) and K local clusters, all registered through the REST
 * API. It prints
 *   - the time from the first registration until GET /applications says every app is
 *     Synced and Healthy;
 *   - over a quiet window (no commit, no request of ours): CPU (% of one core) and RSS of
 *     each service and of all three, next to the clusters' own processes (not Cairn's);
 *   - the requests Cairn's user made of each API server per second, by verb, from the
 *     clusters' audit logs;
 *   - what polling the R repositories costs: polls/s and CPU per poll.
 * Goals (1,000 apps of 5 objects, 500 namespaces, 2 clusters): all Synced and Healthy within
 * 120 s; all services together under 10% of one core; the reconciler under 400 MiB; near-zero
 * API-server requests when nothing changes. Every figure is printed whether or not it meets
 * its goal; the exit code is 1 when one is missed.
 *
 *   npm run bench:scale [-- --apps 1000 --namespaces 500 --clusters 2 --objects 5 --repos 50
 *                          --quiet 60 --poll 15 --keep-clusters]
 */
const { values: flags } = parseArgs({
  options: {
    apps: { type: 'string', default: '1000' },
    namespaces: { type: 'string', default: '500' },
    clusters: { type: 'string', default: '2' },
    objects: { type: 'string', default: '5' },
    repos: { type: 'string', default: '50' },
    quiet: { type: 'string', default: '60' },
    poll: { type: 'string', default: '15' },
    /** Seconds between all Synced and Healthy and the quiet window: the backlog drains, GC runs. */
    settle: { type: 'string', default: '30' },
    /** Seconds to wait for all Synced and Healthy before measuring anyway. */
    timeout: { type: 'string', default: '900' },
    'cluster-prefix': { type: 'string', default: 'scale' },
    'keep-clusters': { type: 'boolean', default: false },
  },
});
const whole = (name: keyof typeof flags, min = 1) => {
  const value = Number(flags[name]);
  if (!Number.isInteger(value) || value < min)
    throw new Error(`--${name}: expected a whole number of at least ${min}, got "${flags[name]}"`);
  return value;
};
const APPS = whole('apps');
const NAMESPACES = whole('namespaces');
const CLUSTERS = whole('clusters');
const OBJECTS = whole('objects');
const REPOS = Math.min(whole('repos'), APPS);
const QUIET_S = whole('quiet');
const POLL_S = whole('poll');
const SETTLE_S = whole('settle', 0);
const TIMEOUT_S = whole('timeout');
const GOAL = {
  convergeSeconds: 120,
  servicesCorePercent: 10,
  reconcilerMiB: 400,
  /** "Near zero": a watch renewed now and then, nothing per app. Per cluster. */
  requestsPerSecond: 0.2,
};
const REGISTER_CONCURRENCY = 16;
const LIST_EVERY_MS = 2_000;

const run = promisify(execFile);
const padRow = (label: string, value: string) => console.log(`  ${label.padEnd(48)}${value}`);
const pct = (cpu: number, seconds: number) => `${((cpu / seconds) * 100).toFixed(1)}%`;

interface Convergence {
  /** From the first registration; undefined when the timeout came first. */
  seconds?: number;
  registrationSeconds: number;
  /** Seconds from the first registration until half of the apps were ready. */
  halfSeconds?: number;
  ready: number;
  lastNotReady: string[];
  /** What Cairn asked of each API server from the first registration until all were ready. */
  audit?: Map<string, AuditCount>;
  /** Seconds from the first registration until each stage had done all apps: where time goes. */
  stages: { rendered?: number; synced?: number };
  syncs: { succeeded: number; failed: number; meanSeconds: number };
  /** What the api consumed: AppStatus and AppEvent messages. */
  consumed: { statuses: number; events: number };
}

async function main(): Promise<number> {
  const names = Array.from({ length: CLUSTERS }, (_, i) => `${flags['cluster-prefix']}-${i + 1}`);
  const shape: FleetShape = {
    apps: APPS,
    namespaces: NAMESPACES,
    clusters: names,
    objects: OBJECTS,
    repos: REPOS,
  };
  console.log(
    `bench/scale: ${APPS} apps × ${OBJECTS} objects, ${NAMESPACES} namespaces, ${CLUSTERS} clusters (${names.join(', ')}), ${REPOS} repositories polled every ${POLL_S} s; load ${await loadAverage()}`,
  );
  const benchStarted = Date.now();
  const clusters = await startClusters({ names });
  for (const c of clusters)
    if (Date.parse(c.startedAt) < benchStarted)
      console.log(
        `note: ${c.name} was already running (since ${c.startedAt}): what an earlier run deployed there is still there`,
      );
  let release: () => Promise<void> = async () => undefined;
  let cut: CairnUnderTest | undefined;
  try {
    const provisioned = await provisionTestInfra({
      ...process.env,
      CAIRN_TEST_KUBECONFIG: clusters[0].kubeconfigPath,
      // startCairn makes a database of its own from this one.
      CAIRN_TEST_DATABASE_URL:
        process.env.CAIRN_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
    });
    release = provisioned.release;
    const { infra } = provisioned;
    cut = await startCairn(infra, {
      pollIntervalSeconds: POLL_S,
      env: {
        // Debug logs at this scale would be most of what is measured.
        CAIRN_LOG_LEVEL: 'info',
      },
    });
    console.log(`services up (logs in ${cut.settings.stateDir}/logs)`);
    const apps = fleetApps(shape);
    const t = Date.now();
    const urls = await createFleetRepositories(cut.git, shape, apps);
    console.log(`${REPOS} repositories created in ${((Date.now() - t) / 1000).toFixed(0)} s`);

    const meter = CpuMeter.of(cut, clusters);
    const cpuBefore = await meter.sample();
    const convergence = await registerAndConverge(cut, clusters, apps, urls);
    const convergenceCpu = spent(cpuBefore, await meter.sample());
    const converged = convergence.seconds !== undefined;
    console.log(`\nsettling ${SETTLE_S} s before the quiet window (load ${await loadAverage()})`);
    await sleep(SETTLE_S * 1000);

    const quiet = await quietWindow(cut, clusters, meter);
    const after = await listApplications(cut.cairn);
    const stillReady = after.filter((a) => isSyncedAndHealthy(a)).length;
    const pods = await podCounts(clusters);

    // The report.
    console.log(
      `\nbench/scale: ${APPS} apps × ${OBJECTS} objects, ${NAMESPACES} namespaces, ${CLUSTERS} clusters, ${REPOS} repositories (poll ${POLL_S} s)`,
    );
    console.log(`\nconvergence (load at its end ${quiet.loadBefore})`);
    padRow(
      'registration (repos, clusters, apps)',
      `${convergence.registrationSeconds.toFixed(1)} s`,
    );
    padRow(
      'half of them',
      convergence.halfSeconds === undefined ? '-' : `${convergence.halfSeconds.toFixed(1)} s`,
    );
    padRow(
      'all Synced and Healthy',
      converged
        ? `${(convergence.seconds as number).toFixed(1)} s`
        : `NOT REACHED: ${convergence.ready}/${APPS} after ${TIMEOUT_S} s (e.g. ${convergence.lastNotReady.join(', ')})`,
    );
    const stage = (at?: number) => (at === undefined ? 'not reached' : `${at.toFixed(1)} s`);
    padRow('  all rendered (repo-poller)', stage(convergence.stages.rendered));
    padRow('  all synced once (reconciler)', stage(convergence.stages.synced));
    padRow(
      '  syncs: succeeded, failed, mean duration',
      `${convergence.syncs.succeeded}, ${convergence.syncs.failed}, ${convergence.syncs.meanSeconds.toFixed(2)} s`,
    );
    padRow(
      '  status and event messages the api consumed',
      `${convergence.consumed.statuses} and ${convergence.consumed.events} (${(convergence.consumed.statuses / APPS).toFixed(1)} and ${(convergence.consumed.events / APPS).toFixed(1)} an app)`,
    );
    padRow('Synced and Healthy after the quiet window', `${stillReady}/${APPS}`);
    for (const [name, count] of pods) padRow(`pods Running and Ready on ${name} (kwok)`, count);
    padRow(
      'CPU until then, core-seconds',
      [...convergenceCpu].map(([what, cpu]) => `${what} ${cpu.toFixed(0)}`).join(', '),
    );
    for (const [name, count] of convergence.audit ?? [])
      padRow(`API-server requests until then, ${name}`, describeRequests(count, 6));

    const s = quiet.seconds;
    console.log(`\nquiet window: ${s.toFixed(0)} s, load ${quiet.loadBefore} → ${quiet.loadAfter}`);
    console.log(`  ${'process'.padEnd(48)}${'CPU, % of one core'.padEnd(22)}RSS now / peak`);
    const servicesCpu = SERVICES.reduce((sum, x) => sum + (quiet.cpu.get(x) ?? 0), 0);
    for (const x of SERVICES)
      console.log(
        `  ${x.padEnd(48)}${pct(quiet.cpu.get(x) ?? 0, s).padEnd(22)}${quiet.memory[x].rss.toFixed(0)} / ${quiet.memory[x].peak.toFixed(0)} MiB`,
      );
    const servicesRss = SERVICES.reduce((sum, x) => sum + quiet.memory[x].rss, 0);
    console.log(
      `  ${'Cairn, all three services'.padEnd(48)}${pct(servicesCpu, s).padEnd(22)}${servicesRss.toFixed(0)} MiB`,
    );
    for (const [what, cpu] of quiet.cpu)
      if (!(SERVICES as readonly string[]).includes(what))
        console.log(`  ${`not Cairn: ${what}`.padEnd(48)}${pct(cpu, s)}`);

    console.log(`\nAPI-server requests of user cairn in the quiet window (audit log)`);
    let worstRate = 0;
    for (const [name, count] of quiet.audit) {
      const rate = count.total / s;
      worstRate = Math.max(worstRate, rate);
      padRow(name, `${rate.toFixed(3)}/s (${describeRequests(count)})`);
    }

    const p = quiet.poller;
    console.log(`\npolling ${REPOS} repositories every ${POLL_S} s`);
    padRow(
      'polls/s',
      `${(p.polls / s).toFixed(2)} (expected ${(REPOS / POLL_S).toFixed(2)}; ${p.errors} failed)`,
    );
    padRow(
      'repo-poller CPU per poll',
      p.polls ? `${((p.cpu * 1000) / p.polls).toFixed(1)} ms` : '-',
    );
    padRow('fetches in the quiet window', String(p.fetches));

    const reconcilerRss = quiet.memory.reconciler.rss;
    const goals: Array<[string, string, boolean]> = [
      [
        `all Synced and Healthy ≤ ${GOAL.convergeSeconds} s`,
        converged ? `${(convergence.seconds as number).toFixed(1)} s` : 'not reached',
        converged && (convergence.seconds as number) <= GOAL.convergeSeconds,
      ],
      [
        `services' CPU < ${GOAL.servicesCorePercent}% of one core`,
        pct(servicesCpu, s),
        (servicesCpu / s) * 100 < GOAL.servicesCorePercent,
      ],
      [
        `reconciler memory < ${GOAL.reconcilerMiB} MiB`,
        `${reconcilerRss.toFixed(0)} MiB`,
        reconcilerRss < GOAL.reconcilerMiB,
      ],
      [
        `API-server requests < ${GOAL.requestsPerSecond}/s per cluster`,
        `${worstRate.toFixed(3)}/s (busiest cluster)`,
        worstRate < GOAL.requestsPerSecond,
      ],
      [
        'all still Synced and Healthy after the window',
        `${stillReady}/${APPS}`,
        stillReady === APPS,
      ],
    ];
    console.log(`\ngoals`);
    for (const [goal, figure, met] of goals)
      console.log(`  ${goal.padEnd(48)}${figure.padEnd(26)}${met ? 'met' : 'MISSED'}`);
    const missed = goals.filter(([, , met]) => !met).map(([goal]) => goal);
    console.log(
      missed.length === 0
        ? '\nall goals met'
        : `\nGOALS MISSED (${missed.length}): ${missed.join('; ')}`,
    );
    return missed.length === 0 ? 0 : 1;
  } finally {
    await cut?.stop();
    await release();
    if (flags['keep-clusters']) console.log(`clusters kept: ${names.join(', ')}`);
    else await stopClusters({ names });
  }
}

/** Registers everything through the REST API and waits until every app is Synced and Healthy. */
async function registerAndConverge(
  cut: CairnUnderTest,
  clusters: LocalCluster[],
  apps: FleetApp[],
  urls: string[],
): Promise<Convergence> {
  const { cairn } = cut;
  const started = Date.now();
  const since = () => (Date.now() - started) / 1000;
  const audits = clusters.map((c) => [c.name, AuditWindow.open(c.auditLogPath)] as const);
  await inParallel(urls, (url) => cairn.createRepository({ url, pollIntervalSeconds: POLL_S }));
  for (const cluster of clusters)
    await cairn.createCluster({
      name: cluster.name,
      // As user `cairn`, whose every request the cluster's audit log records.
      kubeconfig: await readFile(cluster.cairnKubeconfigPath, 'utf8'),
    });
  await inParallel(apps, (app) =>
    cairn.createApplication({
      metadata: { name: app.name },
      spec: {
        source: { repoURL: urls[app.repo], path: app.path, targetRevision: 'main' },
        destination: { name: app.cluster, namespace: app.namespace },
        syncPolicy: {
          automated: { prune: true, selfHeal: true },
          syncOptions: ['CreateNamespace=true'],
        },
      },
    }),
  );
  const registrationSeconds = since();
  console.log(`registered in ${registrationSeconds.toFixed(1)} s; waiting for Synced and Healthy`);

  const result: Convergence = {
    registrationSeconds,
    ready: 0,
    lastNotReady: [],
    stages: {},
    syncs: { succeeded: 0, failed: 0, meanSeconds: 0 },
    consumed: { statuses: 0, events: 0 },
  };
  const pipeline = async () => {
    const [poller, reconciler, api] = await Promise.all([
      scrape(cut.settings.ports['repo-poller']),
      scrape(cut.settings.ports.reconciler),
      scrape(cut.settings.ports.api),
    ]);
    result.consumed = {
      statuses: api('cairn_api_status_messages_total'),
      events: api('cairn_api_event_messages_total'),
    };
    if (poller('cairn_poller_renders_total', 'result="success"') >= APPS)
      result.stages.rendered ??= since();
    const count = reconciler('cairn_reconciler_sync_duration_seconds_count');
    result.syncs = {
      succeeded: reconciler('cairn_reconciler_syncs_total', 'result="succeeded"'),
      failed: reconciler('cairn_reconciler_syncs_total', 'result="failed"'),
      meanSeconds: count ? reconciler('cairn_reconciler_sync_duration_seconds_sum') / count : 0,
    };
    if (result.syncs.succeeded >= APPS) result.stages.synced ??= since();
  };
  const deadline = started + TIMEOUT_S * 1000;
  let lastLine = 0;
  while (Date.now() < deadline) {
    await pipeline().catch(() => undefined);
    const listed = await listApplications(cairn).catch(() => undefined);
    if (listed) {
      const ready = listed.filter((a) => isSyncedAndHealthy(a));
      result.ready = ready.length;
      result.lastNotReady = listed
        .filter((a) => !isSyncedAndHealthy(a))
        .slice(0, 3)
        .map((a) => `${a.metadata.name} ${a.status.sync.status}/${a.status.health.status}`);
      if (ready.length >= APPS / 2) result.halfSeconds ??= since();
      const line = `  ${since().toFixed(0).padStart(4)} s: ${ready.length}/${APPS} Synced and Healthy, load ${await loadAverage()}`;
      if (process.stdout.isTTY) process.stdout.write(`\r${line}   `);
      else if (Date.now() - lastLine >= 10_000) {
        console.log(line);
        lastLine = Date.now();
      }
      if (ready.length === APPS && listed.length === APPS) {
        result.seconds = since();
        break;
      }
    }
    await sleep(LIST_EVERY_MS);
  }
  if (process.stdout.isTTY) process.stdout.write('\n');
  result.audit = new Map();
  for (const [name, window] of audits) result.audit.set(name, await window.close());
  return result;
}

/** Nothing changes for QUIET_S seconds: what each process costs, and what Cairn asks of the clusters. */
async function quietWindow(cut: CairnUnderTest, clusters: LocalCluster[], meter: CpuMeter) {
  const pollerPort = cut.settings.ports['repo-poller'];
  const loadBefore = await loadAverage();
  const audits = clusters.map((c) => [c.name, AuditWindow.open(c.auditLogPath)] as const);
  const start = { at: Date.now(), cpu: await meter.sample(), poller: await metrics(pollerPort) };
  console.log(`quiet window: ${QUIET_S} s`);
  await sleep(QUIET_S * 1000);
  const end = { at: Date.now(), cpu: await meter.sample(), poller: await metrics(pollerPort) };
  const audit = new Map<string, AuditCount>();
  for (const [name, window] of audits) audit.set(name, await window.close());
  const memory = {} as Record<ServiceName, { rss: number; peak: number }>;
  for (const x of SERVICES)
    memory[x] = { rss: await rssMiB(meter.pid(x)), peak: await peakRssMiB(meter.pid(x)) };
  const delta = (series: string) => end.poller(series) - start.poller(series);
  const cpu = spent(start.cpu, end.cpu);
  return {
    seconds: (end.at - start.at) / 1000,
    loadBefore,
    loadAfter: await loadAverage(),
    cpu,
    memory,
    audit,
    poller: {
      polls: ['unchanged', 'changed', 'deferred', 'error'].reduce(
        (sum, result) => sum + delta(`cairn_poller_polls_total{result="${result}"}`),
        0,
      ),
      errors: delta('cairn_poller_polls_total{result="error"}'),
      fetches: delta('cairn_poller_fetches_total'),
      cpu: cpu.get('repo-poller') ?? 0,
    },
  };
}

async function listApplications(cairn: CairnClient): Promise<ApplicationView[]> {
  return (await cairn.request<{ items: ApplicationView[] }>('GET', '/applications')).items;
}

/** Pods kwok made Running and Ready, per cluster, as the admin (not audited) sees them. */
async function podCounts(clusters: LocalCluster[]): Promise<Map<string, string>> {
  const { kubectl } = await ensureBinaries();
  const counts = new Map<string, string>();
  for (const c of clusters) {
    const { stdout } = await run(
      kubectl,
      [`--kubeconfig=${c.kubeconfigPath}`, 'get', 'pods', '-A', '--no-headers'],
      { maxBuffer: 64 * 2 ** 20 },
    );
    const lines = stdout.split('\n').filter(Boolean);
    const ready = lines.filter((l) => / 1\/1 +Running /.test(l)).length;
    counts.set(c.name, `${ready} of ${lines.length}`);
  }
  return counts;
}

/** Runs `work` on every item, REGISTER_CONCURRENCY at a time, as a bulk client would. */
async function inParallel<T>(items: readonly T[], work: (item: T) => Promise<unknown>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: REGISTER_CONCURRENCY }, async () => {
      while (next < items.length) await work(items[next++]);
    }),
  );
}

main().then(
  (code) => process.exit(code),
  (err: Error) => {
    console.error(`bench: ${err.stack ?? err.message}`);
    process.exit(1);
  },
);
