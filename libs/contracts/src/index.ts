export * from './app-event';
export * from './app-status';
export * from './codec';
export * from './command';
export * from './desired-state';
export * from './names';
export * from './subjects';
