export * from './attached-stack';
export * from './local-stack';
export * from './service-readiness';
export * from './stack-settings';
