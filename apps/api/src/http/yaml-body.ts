import type { FastifyInstance } from 'fastify';
import { parse, YAMLError } from 'yaml';
import { badRequest } from './api-errors';

export const YAML_CONTENT_TYPES = ['application/yaml', 'text/yaml', 'application/x-yaml'];

/** Applications are small; a body past this is a mistake or an attack. */
export const YAML_BODY_LIMIT_BYTES = 1024 * 1024;

/**
 * Lets every route take a YAML body (one document), as people write Argo CD Applications.
 * Aliases are capped by the yaml package (maxAliasCount), so a "billion laughs" document
 * fails instead of exhausting memory.
 */
export function acceptYamlBodies(fastify: FastifyInstance): void {
  fastify.addContentTypeParser(
    YAML_CONTENT_TYPES,
    { parseAs: 'string', bodyLimit: YAML_BODY_LIMIT_BYTES },
    (_request, body, done) => {
      try {
        done(null, parse(body as string, { uniqueKeys: true, maxAliasCount: 100 }));
      } catch (error) {
        done(invalidYaml(error), undefined);
      }
    },
  );
}

/** A 400 like any other, naming the line; the message's code frame is left out. */
function invalidYaml(error: unknown): Error {
  const message = error instanceof Error ? error.message : String(error);
  const detail = error instanceof YAMLError ? message.split('\n')[0] : message;
  return badRequest([{ path: 'body', reason: `not valid YAML: ${detail}` }]);
}
