// Git server helpers that load no test runner, for tools such as the demo.
export * from './git-repo';
export * from './git-server';
