import { decode, DiffReply, DiffRequest, diffSubject, encode } from '@cairn/contracts';
import type { Msg, Subscription } from '@nats-io/transport-node';
import type { WorkerContext } from '../workers/worker-context';
import type { WorkerDependencies } from '../workers/worker-context';
import { diffApp } from './app-diff';
import { messageOf } from '../sync/sync-failure';

/**
 * Answers `<root>.diff.<cluster>` requests for the worker's cluster (the api asks them for
 * GET /applications/{name}/diff). A plain NATS subscription, like the poller's poll
 * requests: its subject depends on CAIRN_NATS_PREFIX and the cluster, and the queue group
 * makes one reconciler answer if two ever serve the same cluster.
 */
export class DiffResponder {
  private constructor(private readonly subscription: Subscription) {}

  static start(ctx: WorkerContext, deps: Pick<WorkerDependencies, 'nc' | 'topology' | 'registry'>) {
    const subject = diffSubject(deps.topology, ctx.cluster);
    const subscription = deps.nc.subscribe(subject, {
      queue: `reconciler-diff-${ctx.cluster}`,
      callback: (error, msg) => {
        if (error)
          ctx.logger.error({ msg: 'diff request subscription failed', error: error.message });
        else void answer(ctx, deps, msg);
      },
    });
    return new DiffResponder(subscription);
  }

  stop(): void {
    this.subscription.unsubscribe();
  }
}

async function answer(
  ctx: WorkerContext,
  deps: Pick<WorkerDependencies, 'registry'>,
  msg: Msg,
): Promise<void> {
  let reply: DiffReply;
  try {
    const request = decode(DiffRequest, msg.data);
    reply = await diffApp(ctx, deps.registry, request.app);
  } catch (error) {
    // Secret values never reach here: the dry-run messages are masked where they arise.
    reply = { v: 1, ok: false, reason: 'Unavailable', message: messageOf(error).slice(0, 4096) };
    ctx.logger.warn({ msg: 'diff request failed', cluster: ctx.cluster, error: reply.message });
  }
  msg.respond(encode(DiffReply, reply));
}
