import type { ReconcilerMetrics } from '../metrics/reconciler-metrics';

/** Runs an operation counted in the cluster's operations-in-flight gauge. */
export async function measured<T>(
  metrics: ReconcilerMetrics,
  cluster: string,
  operation: () => Promise<T>,
): Promise<T> {
  const finished = metrics.operationStarted(cluster);
  try {
    return await operation();
  } finally {
    finished();
  }
}
