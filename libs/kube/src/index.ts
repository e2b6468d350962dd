export * from './cluster-client';
export * from './kubeconfig';
export * from './tracking';
export * from './kube-config-from-credentials';
