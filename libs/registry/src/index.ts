export * from './registration-buckets';
export * from './registry';
export * from './registry-view';
export * from './registry-writer';
