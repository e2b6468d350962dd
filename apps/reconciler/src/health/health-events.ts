import type { AppStatus } from '@cairn/contracts';
import type { EventLog } from '../status/event-log';

/** A HealthChanged event when the app's health status differs between two statuses. */
export async function announceHealthChange(
  events: EventLog,
  before: AppStatus,
  after: AppStatus,
): Promise<void> {
  if (before.health.status === after.health.status) return;
  const { status, message } = after.health;
  await events.emit(
    after.app,
    'HealthChanged',
    `health changed from ${before.health.status} to ${status}${message ? `: ${message}` : ''}`,
    { health: after.health, revision: after.sync.revision },
  );
}
