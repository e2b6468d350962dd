export * from './leases';
export * from './membership';
export * from './rendezvous';
export * from './replica-buckets';
export * from './replica-logger';
