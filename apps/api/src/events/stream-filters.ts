import {
  isDnsLabel,
  STREAM_EVENT_TYPES,
  type StreamEventType,
  type Topology,
} from '@cairn/contracts';
import { z } from 'zod';

const Name = z.string().refine(isDnsLabel, { error: 'must be a DNS-1123 label' });

/** GET /stream/events?application=&cluster=&type=SyncFailed,HealthChanged */
export const StreamFilters = z.object({
  application: Name.optional(),
  cluster: Name.optional(),
  type: z
    .string()
    .transform((types) => types.split(','))
    .pipe(z.array(z.enum(STREAM_EVENT_TYPES)))
    .optional(),
  /** For clients that cannot set the Last-Event-ID header (a browser's first EventSource). */
  lastEventId: z.string().optional(),
});
export type StreamFilters = z.infer<typeof StreamFilters>;

/**
 * The events subject(s) the filters select: application and cluster narrow it on the
 * server. Registration changes match too: an application's is on its own subject, a
 * cluster's on `<cluster>._`, a repository's on `_._`, which only a stream without an
 * application or cluster filter selects.
 */
export function eventSubject(topology: Topology, filters: StreamFilters): string {
  return `${topology.root}.events.${filters.cluster ?? '*'}.${filters.application ?? '*'}`;
}

export function matchesType(filters: StreamFilters, type: StreamEventType): boolean {
  return filters.type === undefined || filters.type.includes(type);
}

/** The stream sequence to resume after; undefined: only new events. */
export function resumeAfter(lastEventId: string | undefined): number | undefined {
  if (lastEventId === undefined || lastEventId.trim() === '') return undefined;
  const seq = Number(lastEventId);
  if (!Number.isSafeInteger(seq) || seq < 0) {
    throw new Error(`Last-Event-ID must be an event id (a stream sequence), not "${lastEventId}"`);
  }
  return seq;
}
