// Test infrastructure that loads no test runner: for `npm test`'s provisioning, benchmarks and tools.
export * from './cairn-under-test';
export * from './git-repo';
export * from './git-server';
export * from './test-infra-provisioner';
export * from './unique-name';
