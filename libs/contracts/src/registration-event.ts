import { z } from 'zod';
import { APP_EVENT_TYPES, AppEvent } from './app-event';
import { decode, SchemaVersion1, Timestamp } from './codec';
import { AppName, ClusterName } from './names';
import type { Subjects } from './subjects';

export const REGISTRATION_KINDS = ['repository', 'cluster', 'application'] as const;
export const REGISTRATION_CHANGES = ['created', 'updated', 'deleted'] as const;

/**
 * A repository, cluster or application registered, changed or deleted, published by the
 * api on the events stream (Subjects.registrationEvents) so stream readers see it in order
 * with everything else. It names what changed, never its credentials.
 */
export const RegistrationEvent = z
  .object({
    v: SchemaVersion1,
    type: z.literal('RegistrationChanged'),
    kind: z.enum(REGISTRATION_KINDS),
    change: z.enum(REGISTRATION_CHANGES),
    /** The application's or cluster's name, or the repository's id. */
    name: z.string().min(1).max(253),
    /** An application's cluster, or the cluster itself. */
    cluster: ClusterName.optional(),
    /** Set when an application changed. */
    app: AppName.optional(),
    /** A repository's URL, which never carries credentials. */
    url: z.string().max(2048).optional(),
    /** For people. */
    message: z.string().max(4096),
    time: Timestamp,
    initiatedBy: z.string().min(1).max(256),
  })
  .describe('RegistrationEvent');

export type RegistrationEvent = z.infer<typeof RegistrationEvent>;

export function registrationEventSubject(subjects: Subjects, event: RegistrationEvent): string {
  return subjects.registrationEvents(event.cluster, event.app);
}

/** Every `type` on the events stream: what reconcilers and the api report, and registration changes. */
export const STREAM_EVENT_TYPES = [...APP_EVENT_TYPES, 'RegistrationChanged'] as const;
export type StreamEventType = (typeof STREAM_EVENT_TYPES)[number];

/** Whatever the events stream carries. */
export type StreamEvent = AppEvent | RegistrationEvent;

/** Validates an events-stream payload (bytes or parsed JSON) against the contract its `type` names. */
export function decodeStreamEvent(input: Uint8Array | unknown): StreamEvent {
  let payload = input;
  if (input instanceof Uint8Array) {
    try {
      payload = JSON.parse(new TextDecoder().decode(input));
    } catch {
      return decode(AppEvent, input); // Throws, saying it is not JSON.
    }
  }
  const type = (payload as { type?: unknown } | null)?.type;
  return type === 'RegistrationChanged'
    ? decode(RegistrationEvent, payload)
    : decode(AppEvent, payload);
}
