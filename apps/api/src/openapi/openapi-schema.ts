import type { SchemaObject } from '@nestjs/swagger';
import { z } from 'zod';

/** A request schema as OpenAPI 3.0 shows it: the zod schema the api validates with, converted. */
export function openApiSchema(schema: z.ZodType): SchemaObject {
  return z.toJSONSchema(schema, {
    io: 'input',
    target: 'openapi-3.0',
    // Refinements (one of name or server, ...) cannot be expressed; the 400 explains them.
    unrepresentable: 'any',
  }) as SchemaObject;
}
