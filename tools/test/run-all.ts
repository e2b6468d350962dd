import { spawnSync } from 'node:child_process';
import { infraEnvironment, provisionTestInfra } from '@cairn/testing/infra';

/**
 * `npm test`: every test of every project, unit, integration and end-to-end, in one
 * vitest run, against real infrastructure provisioned once for the whole run (one
 * cluster, one database, one NATS prefix) and released at the end, pass or fail.
 */
function run(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): number {
  const result = spawnSync(command, args, { stdio: 'inherit', env });
  return result.status ?? 1;
}

async function main(): Promise<number> {
  const started = Date.now();
  // The e2e tests drive the built services, as users run them.
  const built = run('npx', [
    'nx',
    'run-many',
    '-t',
    'build',
    '--projects=tag:type:app',
    '--outputStyle=static',
  ]);
  if (built !== 0) return built;

  console.log(
    'test infrastructure: starting (PostgreSQL database, NATS prefix, Kubernetes cluster)',
  );
  const { infra, release } = await provisionTestInfra();
  console.log(
    `test infrastructure: ready in ${((Date.now() - started) / 1000).toFixed(1)}s (run ${infra.runId})`,
  );
  let code = 1;
  try {
    code = run('npx', ['vitest', 'run', ...process.argv.slice(2)], {
      ...process.env,
      ...infraEnvironment(infra),
    });
  } finally {
    await release();
  }
  console.log(`npm test: finished in ${((Date.now() - started) / 1000).toFixed(1)}s, exit ${code}`);
  return code;
}

main().then(
  (code) => process.exit(code),
  (err: Error) => {
    console.error(`npm test: ${err.stack ?? err.message}`);
    process.exit(1);
  },
);
