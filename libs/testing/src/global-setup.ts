import type { TestProject } from 'vitest/node';
import { provisionTestInfra } from './test-infra-provisioner';

/**
 * Vitest global setup of the integration and e2e projects: provisions (or reuses, see
 * provisionTestInfra) the real infrastructure and hands it to tests as testInfra().
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const { infra, release } = await provisionTestInfra();
  project.provide('cairn', infra);
  return release;
}
