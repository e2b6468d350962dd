export * from './cairn-client';
