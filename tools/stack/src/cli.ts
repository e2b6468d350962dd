import { localStackSettings, stackDown, stackStatus, stackUp } from './local-stack';
import { adminTokenFile, serviceUrl } from './stack-settings';

const USAGE = `usage: npm run stack -- <up|down|status>
  up      build and start api, repo-poller and reconciler (logs in .cairn/logs)
  down    stop them
  status  show each service's pid, memory and URL`;

async function main(): Promise<void> {
  const command = process.argv[2];
  const settings = localStackSettings();
  if (command === 'up') {
    await stackUp(settings);
    console.log(
      `Cairn is up: ${serviceUrl(settings, 'api')}/api/v1 (admin token: ${settings.adminToken ? '$CAIRN_ADMIN_TOKEN' : adminTokenFile(settings)})`,
    );
  } else if (command === 'down') {
    await stackDown(settings);
    console.log('Cairn is down');
  } else if (command === 'status') {
    const status = stackStatus(settings);
    if (status.length === 0) console.log('not running');
    for (const s of status) {
      console.log(
        `${s.service.padEnd(12)} pid ${String(s.pid).padEnd(8)} ${s.running ? `${(s.residentBytes / 2 ** 20).toFixed(0)} MiB  ${s.url}` : 'stopped'}`,
      );
    }
  } else {
    console.error(USAGE);
    process.exitCode = 2;
  }
}

main().catch((err: Error) => {
  console.error(`stack: ${err.message}`);
  process.exitCode = 1;
});
