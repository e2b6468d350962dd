import { z } from 'zod';

/**
 * The wire format of every Cairn message: UTF-8 JSON, validated on the way in and on the
 * way out, so a producer's bug shows where it is made rather than in every consumer.
 * Unknown fields are dropped rather than rejected: a consumer on v1 keeps working when a
 * producer adds an optional field.
 */

/** Every payload says which version of its schema it follows; this build speaks v1. */
export const SchemaVersion1 = z.literal(1, {
  error: (issue) => `unsupported schema version ${JSON.stringify(issue.input)}; expected 1`,
});

/** Times travel as ISO-8601 strings with a zone: `2025-01-31T12:00:00Z`. */
export const Timestamp = z.iso.datetime({
  offset: true,
  error: 'must be an ISO-8601 date-time with a zone, e.g. 2025-01-31T12:00:00Z',
});

export interface ContractProblem {
  /** Where in the message: `resources[2].health.status`; empty for the message itself. */
  path: string;
  reason: string;
}

/** A message that does not match its contract, with every field that is wrong. */
export class ContractViolation extends Error {
  constructor(
    readonly contract: string,
    readonly problems: readonly ContractProblem[],
  ) {
    const details = problems.map((p) => (p.path ? `${p.path}: ${p.reason}` : p.reason));
    super(`invalid ${contract}: ${details.join('; ')}`);
    this.name = 'ContractViolation';
  }
}

/** Validates a message, given as its raw bytes or as already-parsed JSON. */
export function decode<S extends z.ZodType>(schema: S, input: Uint8Array | unknown): z.output<S> {
  const contract = schema.description ?? 'message';
  let value = input;
  if (input instanceof Uint8Array) {
    try {
      value = JSON.parse(new TextDecoder().decode(input));
    } catch (error) {
      throw new ContractViolation(contract, [
        { path: '', reason: `not JSON: ${(error as Error).message}` },
      ]);
    }
  }
  const result = schema.safeParse(value);
  if (!result.success) {
    throw new ContractViolation(
      contract,
      result.error.issues.map((issue) => ({ path: formatPath(issue.path), reason: issue.message })),
    );
  }
  return result.data;
}

/** Validates a message and returns its bytes, ready to publish. */
export function encode<S extends z.ZodType>(schema: S, message: z.input<S>): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(decode(schema, message)));
}

function formatPath(path: readonly PropertyKey[]): string {
  return path
    .map((key, i) => (typeof key === 'number' ? `[${key}]` : `${i === 0 ? '' : '.'}${String(key)}`))
    .join('');
}
