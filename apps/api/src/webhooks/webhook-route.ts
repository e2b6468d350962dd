import type { FastifyError, FastifyInstance } from 'fastify';
import type { AuditTrail } from '../audit/audit-trail';
import { WebhookRejection } from './webhook-rejection';
import type { WebhooksService } from './webhooks.service';

/** Push payloads are small; anything past this is refused before it is read. */
export const WEBHOOK_BODY_LIMIT_BYTES = 1024 * 1024;

export const WEBHOOK_PATH = '/api/v1/webhooks/git';

/**
 * POST /api/v1/webhooks/git, registered on Fastify directly rather than through Nest: it
 * carries no bearer token (the HMAC of the exact bytes authenticates it, so the body is
 * kept raw, never parsed by a shared parser), and its own body limit applies before any
 * byte is parsed. Every delivery is audited, as any mutating call.
 */
export function registerWebhookRoute(
  fastify: FastifyInstance,
  webhooks: () => WebhooksService,
  audit: () => AuditTrail,
): void {
  void fastify.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser(
      '*',
      { parseAs: 'buffer', bodyLimit: WEBHOOK_BODY_LIMIT_BYTES },
      (_request, body, done) => done(null, body),
    );
    scope.setErrorHandler((error: FastifyError, _request, reply) => {
      const rejection =
        error.statusCode === 413
          ? new WebhookRejection(
              413,
              `the payload is larger than ${WEBHOOK_BODY_LIMIT_BYTES} bytes: not read`,
            )
          : error.statusCode === 400 || error.statusCode === 415
            ? new WebhookRejection(error.statusCode, error.message)
            : undefined;
      void audit().record({
        actor: 'webhook',
        action: `POST ${WEBHOOK_PATH}`,
        app: null,
        outcome: rejection?.statusCode ?? 500,
        message: rejection?.message ?? 'internal error',
      });
      if (rejection) return reply.code(rejection.statusCode).send(rejection.body);
      return reply
        .code(500)
        .send({ statusCode: 500, error: 'Internal Server Error', message: 'webhook not handled' });
    });
    scope.post(WEBHOOK_PATH, { bodyLimit: WEBHOOK_BODY_LIMIT_BYTES }, async (request, reply) => {
      const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      try {
        const receipt = await webhooks().receive(request.headers, body);
        void audit().record({
          actor: `webhook:${receipt.provider}`,
          action: `POST ${WEBHOOK_PATH}`,
          app: null,
          outcome: 202,
          message: JSON.stringify(receipt),
        });
        return reply.code(202).send(receipt);
      } catch (error) {
        if (!(error instanceof WebhookRejection)) throw error;
        void audit().record({
          actor: 'webhook',
          action: `POST ${WEBHOOK_PATH}`,
          app: null,
          outcome: error.statusCode,
          message: error.message,
        });
        return reply.code(error.statusCode).send(error.body);
      }
    });
  });
}
