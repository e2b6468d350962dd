export * from './cluster-client';
export * from './cluster-connection';
export * from './kube-http';
export * from './kubeconfig';
export * from './live-state-cache';
export * from './resource-watch';
export * from './tracking';
export * from './kube-config-from-credentials';
