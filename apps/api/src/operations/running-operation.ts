import type { AppStatus } from '@cairn/contracts';
import type { RequestedOperation } from '@cairn/persistence';

/**
 * How long a queued operation counts as running while the reconciler has reported nothing
 * since: long enough for it to pick the command up, short enough that a lost command does
 * not block the app for long.
 */
export const QUEUED_OPERATION_WINDOW_MS = 30_000;

/**
 * The operation that still runs on an application, described for a 409, or undefined when
 * another may start: one the reconciler reports Running, or one queued moments ago that the
 * reconciler has not reported on yet.
 */
export function runningOperation(
  status: AppStatus | null,
  queued: RequestedOperation | null,
  now: Date,
): string | undefined {
  if (status?.operationState?.phase === 'Running') {
    const { startedAt, message } = status.operationState;
    return `a sync is running since ${startedAt}${message ? ` (${message})` : ''}`;
  }
  if (!queued) return undefined;
  const requestedAt = new Date(queued.requestedAt);
  const recent = now.getTime() - requestedAt.getTime() < QUEUED_OPERATION_WINDOW_MS;
  const reportedSince = status !== null && new Date(status.reconciledAt) > requestedAt;
  if (!recent || reportedSince) return undefined;
  return `${queued.op} ${queued.id}, requested by ${queued.initiatedBy} at ${queued.requestedAt}, is queued`;
}
