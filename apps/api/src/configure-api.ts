import { Topology } from '@cairn/contracts';
import type { MicroserviceOptions } from '@nestjs/microservices';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance } from 'fastify';
import type { ApiConfig } from './config/api-config';
import { AuditTrail } from './audit/audit-trail';
import { acceptYamlBodies } from './http/yaml-body';
import { TopologyJetStreamServer } from './infrastructure/topology-jetstream-server';
import { buildOpenApiDocument } from './openapi/build-openapi-document';
import { OpenApiDocument } from './openapi/openapi.controller';
import { registerWebhookRoute } from './webhooks/webhook-route';
import { WebhooksService } from './webhooks/webhooks.service';

export const API_PREFIX = 'api/v1';

/**
 * What the api adds to the Nest app before it listens, in production and in tests alike:
 * the /api/v1 prefix (probes and metrics stay at the root), YAML bodies, the git webhook
 * route, the OpenAPI document, and the JetStream consumers of the status and events streams.
 */
export async function configureApi(app: NestFastifyApplication, config: ApiConfig): Promise<void> {
  app.setGlobalPrefix(API_PREFIX, { exclude: ['healthz', 'readyz', 'metrics'] });
  const fastify = app.getHttpAdapter().getInstance() as FastifyInstance;
  acceptYamlBodies(fastify);
  registerWebhookRoute(
    fastify,
    () => app.get(WebhooksService),
    () => app.get(AuditTrail),
  );
  app.get(OpenApiDocument).document = buildOpenApiDocument(app);

  const topology = app.get(Topology);
  for (const topic of ['status', 'events'] as const) {
    app.connectMicroservice<MicroserviceOptions>({
      strategy: new TopologyJetStreamServer(topology, topic, {
        url: config.natsServers,
        auth: config.natsAuth,
        name: `api-${topic}`,
        durable: 'api',
      }),
    });
  }
  await app.startAllMicroservices();
}
