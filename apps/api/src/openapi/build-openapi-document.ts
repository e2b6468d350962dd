import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';

/** The OpenAPI 3 description of /api/v1, from the controllers and their request schemas. */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Cairn API')
    .setDescription(
      'GitOps control plane: repositories, clusters and applications in Argo CD shapes. ' +
        'Every call needs Authorization: Bearer <admin token>.',
    )
    .setVersion('v1')
    .addBearerAuth()
    .build();
  return SwaggerModule.createDocument(app, config);
}
