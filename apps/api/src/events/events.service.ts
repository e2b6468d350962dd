import {
  type AppEvent,
  decodeStreamEvent,
  registrationEventSubject,
  type StreamEvent,
  Topology,
} from '@cairn/contracts';
import { AppEventEntity } from '@cairn/persistence';
import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Counter, Registry } from 'prom-client';
import type { Repository } from 'typeorm';
import { HistoryService } from '../history/history.service';

/** How many events GET /applications/{name}/events returns: the newest. */
export const EVENTS_SHOWN = 100;

/** An event as the API shows it: its id is its stream sequence, as the SSE stream will use. */
export type AppEventView = { id: number } & Omit<AppEvent, 'v'>;

/** Registration changes are read from the stream itself (SSE, NATS) and the audit trail. */
export type EventOutcome = 'stored' | 'registration' | 'invalid';

/** Keeps what reconcilers report happened to applications, once per stream sequence. */
@Injectable()
export class EventsService {
  private readonly logger = new Logger(EventsService.name);
  private readonly consumed: Counter<'outcome'>;

  constructor(
    @InjectRepository(AppEventEntity) private readonly rows: Repository<AppEventEntity>,
    private readonly topology: Topology,
    private readonly history: HistoryService,
    registry: Registry,
  ) {
    this.consumed = new Counter({
      name: 'cairn_api_event_messages_total',
      help: 'Events stream messages consumed, by outcome (stored, registration, invalid).',
      labelNames: ['outcome'],
      registers: [registry],
    });
  }

  /** Never throws for a bad message: redelivering it could not make it valid. */
  async receive(payload: unknown, subject: string, seq: number): Promise<EventOutcome> {
    let event: StreamEvent;
    try {
      event = decodeStreamEvent(payload);
      if (event.type === 'RegistrationChanged') {
        if (subject !== registrationEventSubject(this.topology.subjects, event)) {
          throw new Error(`its cluster and app are not its subject's`);
        }
      } else {
        const address = this.topology.subjects.parse(subject);
        if (address?.cluster !== event.cluster || address.app !== event.app) {
          throw new Error(
            `its app and cluster (${event.cluster}/${event.app}) are not its subject's`,
          );
        }
      }
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      this.logger.warn({ msg: 'dropping invalid event message', subject, seq, reason });
      this.consumed.inc({ outcome: 'invalid' });
      return 'invalid';
    }
    if (event.type === 'RegistrationChanged') {
      this.consumed.inc({ outcome: 'registration' });
      return 'registration';
    }
    // A redelivery has the same sequence: the second insert is a no-op.
    await this.rows
      .createQueryBuilder()
      .insert()
      .values({
        seq: String(seq),
        app: event.app,
        cluster: event.cluster,
        type: event.type,
        time: new Date(event.time),
        event: () => ':event',
      })
      .setParameter('event', JSON.stringify(event))
      .orIgnore()
      .execute();
    await this.history.record(event, seq);
    this.consumed.inc({ outcome: 'stored' });
    return 'stored';
  }

  /** The newest EVENTS_SHOWN events of an application, oldest first. */
  async newest(app: string): Promise<AppEventView[]> {
    const rows = await this.rows.find({
      where: { app },
      order: { seq: 'DESC' },
      take: EVENTS_SHOWN,
    });
    return rows.reverse().map((row) => {
      const event: Partial<AppEvent> = { ...(row.event as unknown as AppEvent) };
      delete event.v;
      return { id: Number(row.seq), ...(event as Omit<AppEvent, 'v'>) };
    });
  }
}
