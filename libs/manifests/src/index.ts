export * from './apply-order';
export * from './canonical-json';
export * from './kubernetes-object';
export * from './load-manifests';
export * from './manifest-bundle';
export * from './manifest-error';
export * from './source-tree';
