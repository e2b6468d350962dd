/** The q-quantile (0..1) of samples, by nearest rank. */
export function quantile(samples: readonly number[], q: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

export const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

export function summary(name: string, samples: readonly number[]): string {
  return `${name.padEnd(34)} p50 ${seconds(quantile(samples, 0.5)).padStart(8)}   p95 ${seconds(quantile(samples, 0.95)).padStart(8)}   (n=${samples.length})`;
}
