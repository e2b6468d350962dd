import { inject } from 'vitest';

/** What the global setup provisions once per test run, shared by every test file. */
export interface TestInfra {
  /** Short random id of this run; every name a test creates starts with it. */
  runId: string;
  /** PostgreSQL database of this run, dropped when the run ends. */
  databaseUrl: string;
  natsUrl: string;
  /** Prefix of every JetStream stream, KV and object bucket this run creates. */
  natsPrefix: string;
  /** Kubeconfig of the real cluster this run uses. */
  kubeconfigPath: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    cairn: TestInfra;
  }
}

export function testInfra(): TestInfra {
  return inject('cairn');
}

export { uniqueName } from './unique-name';
