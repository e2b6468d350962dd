export * from './credentials';
export * from './fetch-revision';
export * from './git-error';
export * from './read-tree';
export * from './remote-refs';
export * from './repository-url';
export * from './git-commit-tree';
