import { Controller, Get, Injectable } from '@nestjs/common';
import { ApiExcludeController, type OpenAPIObject } from '@nestjs/swagger';

/** Holds the document configureApi builds once every route is known. */
@Injectable()
export class OpenApiDocument {
  document?: OpenAPIObject;
}

/** GET /api/v1/openapi.json, behind the same bearer token as the API it describes. */
@ApiExcludeController()
@Controller()
export class OpenApiController {
  constructor(private readonly holder: OpenApiDocument) {}

  @Get('openapi.json')
  document(): OpenAPIObject {
    if (!this.holder.document) throw new Error('the OpenAPI document was not built at start');
    return this.holder.document;
  }
}
