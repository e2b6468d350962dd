import { Topology } from '@cairn/contracts';
import { JetStreamServer, type JetStreamServerOptions } from '@cairn/nats';
import type { MessageHandler } from '@nestjs/microservices';

/** The topics the api consumes, each from its own stream. */
export type ConsumedTopic = 'status' | 'events';

/**
 * Subjects as handlers declare them: decorators are evaluated before any configuration is
 * read, so they name the production subjects (`cairn.status.>`).
 */
export const DECLARED_TOPOLOGY = new Topology();

/**
 * A JetStreamServer for one topic's stream. JetStreamServer consumes from a single stream,
 * and Nest offers every `@JetStreamEventPattern` handler to every server of that transport,
 * so this one takes only the handlers of its topic, and binds them to the subjects of the
 * configured topology (CAIRN_NATS_PREFIX) instead of the declared production ones.
 */
export class TopologyJetStreamServer extends JetStreamServer {
  constructor(
    private readonly topology: Topology,
    private readonly topic: ConsumedTopic,
    options: Omit<JetStreamServerOptions, 'stream'>,
  ) {
    super({
      ...options,
      // Created with its limits by ensureTopology at start; named here so it is found.
      stream: { name: topology.streams[topic](), subjects: [topology.subjects.filter(topic)] },
    });
  }

  override addHandler(
    pattern: unknown,
    callback: MessageHandler,
    isEventHandler?: boolean,
    extras?: Record<string, unknown>,
  ): void {
    if (pattern !== DECLARED_TOPOLOGY.subjects.filter(this.topic)) return;
    super.addHandler(this.topology.subjects.filter(this.topic), callback, isEventHandler, extras);
  }
}
