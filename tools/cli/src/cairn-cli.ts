import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { type ApplicationView, type BulkResult, CairnClient } from '@cairn/client';
import { workspaceRoot } from '@cairn/cluster';

const USAGE = `usage: npm run cairn -- <command> [options]
  repo add <url> [--poll SECONDS] [--username U --password P] [--webhook-secret S]
  repo list
  cluster add <name> --kubeconfig FILE | --agent
  cluster list
  app create -f FILE            (Cairn or Argo CD Application, YAML or JSON)
  app list
  app get <name>
  app sync <name> [--prune] [--dry-run] [--revision SHA]
  app sync -l SELECTOR | --cluster C | --namespace N [--prune] [--dry-run]   (every app selected)
  app refresh <name>
  app refresh -l SELECTOR | --cluster C | --namespace N                      (every app selected)
  app events <name>
  app delete <name>
Talks to CAIRN_URL (default http://127.0.0.1:8080) with CAIRN_TOKEN (default: .cairn/admin-token).`;

function client(): CairnClient {
  const tokenFile = join(workspaceRoot(), '.cairn', 'admin-token');
  const token =
    process.env.CAIRN_TOKEN ??
    (existsSync(tokenFile) ? readFileSync(tokenFile, 'utf8').trim() : '');
  if (!token)
    throw new Error(
      'no token: set CAIRN_TOKEN, or start the local stack, which writes .cairn/admin-token',
    );
  return new CairnClient(process.env.CAIRN_URL ?? 'http://127.0.0.1:8080', token);
}

/** One line per application: name, result, and the operation id or why it did not start. */
function printResults(items: BulkResult[]): void {
  for (const item of items) {
    console.log(
      `${item.name.padEnd(24)} ${item.result.padEnd(9)} ${item.operation ?? item.message ?? ''}`,
    );
  }
  if (items.some((item) => item.result !== 'started')) process.exitCode = 1;
}

function appLine(app: ApplicationView): string {
  const { sync, health } = app.status;
  return `${app.metadata.name.padEnd(24)} ${sync.status.padEnd(10)} ${health.status.padEnd(12)} ${(sync.revision ?? '').slice(0, 7).padEnd(8)} ${app.spec.destination.name ?? ''}/${app.spec.destination.namespace ?? ''}`;
}

async function main(argv: string[]): Promise<void> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      poll: { type: 'string' },
      username: { type: 'string' },
      password: { type: 'string' },
      'webhook-secret': { type: 'string' },
      kubeconfig: { type: 'string' },
      agent: { type: 'boolean' },
      file: { type: 'string', short: 'f' },
      prune: { type: 'boolean' },
      'dry-run': { type: 'boolean' },
      revision: { type: 'string' },
      selector: { type: 'string', short: 'l' },
      cluster: { type: 'string' },
      namespace: { type: 'string' },
    },
  });
  const [noun, verb, arg] = positionals;
  const cairn = client();
  const print = (value: unknown) => console.log(JSON.stringify(value, null, 2));
  const selection = {
    selector: values.selector,
    cluster: values.cluster,
    namespace: values.namespace,
  };
  switch (`${noun} ${verb}`) {
    case 'repo add':
      return print(
        await cairn.createRepository({
          url: arg,
          pollIntervalSeconds: values.poll ? Number(values.poll) : undefined,
          username: values.username,
          password: values.password,
          webhookSecret: values['webhook-secret'],
        }),
      );
    case 'repo list':
      return print(await cairn.request('GET', '/repositories'));
    case 'cluster add':
      return print(
        await cairn.createCluster(
          values.agent
            ? { name: arg, mode: 'agent' }
            : { name: arg, kubeconfig: readFileSync(values.kubeconfig ?? '', 'utf8') },
        ),
      );
    case 'cluster list':
      return print(await cairn.request('GET', '/clusters'));
    case 'app create': {
      const text = readFileSync(values.file ?? '', 'utf8');
      return print(
        await cairn.createApplication(text.trimStart().startsWith('{') ? JSON.parse(text) : text),
      );
    }
    case 'app list': {
      const apps = await cairn.request<ApplicationView[] | { items: ApplicationView[] }>(
        'GET',
        '/applications',
      );
      for (const app of Array.isArray(apps) ? apps : apps.items) console.log(appLine(app));
      return;
    }
    case 'app get':
      return print(await cairn.getApplication(arg));
    case 'app sync':
      if (arg === undefined) {
        const { items } = await cairn.syncAll({
          ...selection,
          prune: values.prune,
          dryRun: values['dry-run'],
        });
        return printResults(items);
      }
      return print(
        await cairn.sync(arg, {
          prune: values.prune,
          dryRun: values['dry-run'],
          revision: values.revision,
        }),
      );
    case 'app refresh':
      if (arg === undefined) return printResults((await cairn.refreshAll(selection)).items);
      return print(await cairn.refresh(arg));
    case 'app events':
      return print(await cairn.request('GET', `/applications/${encodeURIComponent(arg)}/events`));
    case 'app delete':
      return print(await cairn.request('DELETE', `/applications/${encodeURIComponent(arg)}`));
    default:
      console.error(USAGE);
      process.exitCode = 2;
  }
}

main(process.argv.slice(2)).catch((err: Error) => {
  console.error(`cairn: ${err.message}`);
  process.exitCode = 1;
});
