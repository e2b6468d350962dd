import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import swc from 'unplugin-swc';
import { defineConfig } from 'vitest/config';

// The @cairn/* aliases come from tsconfig.base.json, so tests resolve exactly what tsc does.
const { paths } = JSON.parse(readFileSync('tsconfig.base.json', 'utf8')).compilerOptions as {
  paths: Record<string, string[]>;
};
const alias = Object.entries(paths).map(([name, [target]]) => ({
  find: new RegExp(`^${name}$`),
  replacement: resolve(import.meta.dirname, target),
}));

// Real infrastructure (PostgreSQL database, NATS prefix, Kubernetes cluster, run id) is
// provisioned once per run by this global setup; tools/test/run-all.ts provisions it
// before vitest starts so that the integration and e2e projects share one of each.
const globalSetup = ['libs/testing/src/global-setup.ts'];

export default defineConfig({
  // SWC instead of esbuild: NestJS dependency injection needs emitDecoratorMetadata.
  plugins: [swc.vite({ module: { type: 'es6' } })],
  resolve: { alias },
  test: {
    reporters: ['default', './tools/test/summary-reporter.ts'],
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['{apps,libs,tools}/**/*.spec.ts'],
          exclude: ['**/*.int.spec.ts', '**/*.e2e.spec.ts', '**/node_modules/**'],
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['{apps,libs,tools}/**/*.int.spec.ts'],
          globalSetup,
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['{apps,libs,tools}/**/*.e2e.spec.ts'],
          globalSetup,
          testTimeout: 180_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
