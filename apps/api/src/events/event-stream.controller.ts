import { decodeStreamEvent, type StreamEvent, Topology } from '@cairn/contracts';
import { DeliverPolicy, jetstream } from '@nats-io/jetstream';
import { Controller, Get, Headers, Logger, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { badRequest } from '../http/api-errors';
import { parseRequest } from '../http/parse-request';
import { NatsClient } from '../infrastructure/nats-client';
import { eventSubject, matchesType, resumeAfter, StreamFilters } from './stream-filters';

/** A comment line this often keeps proxies from closing an idle stream. */
export const HEARTBEAT_INTERVAL_MS = 15_000;

/**
 * GET /api/v1/stream/events: what reconcilers report (AppEvents) and what the api did
 * (rollbacks, registration changes) as Server-Sent Events, straight from the events
 * stream through an ordered consumer. Each event's id is its stream sequence, so a client
 * that reconnects with Last-Event-ID gets every event after it, in order, none twice.
 */
@ApiTags('events')
@ApiBearerAuth()
@Controller('stream')
export class EventStreamController {
  private readonly logger = new Logger(EventStreamController.name);

  constructor(
    private readonly nats: NatsClient,
    private readonly topology: Topology,
  ) {}

  @Get('events')
  async stream(
    @Query() query: unknown,
    @Headers('last-event-id') lastEventIdHeader: string | undefined,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const filters = parseRequest(StreamFilters, query);
    let after: number | undefined;
    try {
      after = resumeAfter(lastEventIdHeader ?? filters.lastEventId);
    } catch (error) {
      throw badRequest([{ path: 'Last-Event-ID', reason: (error as Error).message }]);
    }
    const consumer = await jetstream(this.nats.connection).consumers.get(
      this.topology.streams.events(),
      {
        filter_subjects: eventSubject(this.topology, filters),
        ...(after === undefined
          ? { deliver_policy: DeliverPolicy.New }
          : { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: after + 1 }),
      },
    );
    const messages = await consumer.consume();

    reply.hijack();
    const out = reply.raw;
    out.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    out.write(': connected\n\n');
    const heartbeat = setInterval(() => out.write(': heartbeat\n\n'), HEARTBEAT_INTERVAL_MS);
    request.raw.on('close', () => {
      clearInterval(heartbeat);
      void messages.close();
    });

    for await (const message of messages) {
      let event: StreamEvent;
      try {
        event = decodeStreamEvent(message.data);
      } catch {
        continue; // Not an event: the api's consumer logs it; a stream reader skips it.
      }
      if (!matchesType(filters, event.type)) continue;
      const view: Partial<StreamEvent> = { ...event };
      delete view.v;
      const frame = `id: ${message.seq}\nevent: ${event.type}\ndata: ${JSON.stringify({ id: message.seq, ...view })}\n\n`;
      // A slow reader holds the consumer back rather than filling the api's memory.
      if (!out.write(frame)) await drainedOrClosed(out);
      if (out.destroyed) break;
    }
    clearInterval(heartbeat);
    this.logger.debug({ msg: 'event stream closed', ...filters });
  }
}

function drainedOrClosed(out: FastifyReply['raw']): Promise<void> {
  return new Promise((resolve) => {
    out.once('drain', resolve);
    out.once('close', resolve);
  });
}
