export * from './connection';
export * from './jetstream';
export * from './jetstream-context';
export * from './jetstream-event-pattern';
export * from './jetstream-server';
export * from './topology-setup';
export * from './bundle-store';
export * from './retained-messages';
