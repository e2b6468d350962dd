export * from './kubeconfig';
export * from './server-side-apply';
