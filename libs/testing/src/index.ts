export * from './test-infra';
export * from './test-infra-provisioner';
export * from './kube-namespace';
export * from './git-server';
export * from './git-repo';
export * from './cairn-under-test';
export * from './nats-server';
