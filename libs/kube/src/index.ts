export * from './cluster-client';
export * from './kubeconfig';
export * from './tracking';
