export * from './test-infra';
export * from './git-server';
export * from './git-repo';
