import { Subjects } from '@cairn/contracts';
import { z } from 'zod';

/**
 * Variables every Cairn service that seals credentials or talks over NATS reads, parsed
 * here rather than with `env.*` because the key must never be echoed in an error.
 */

const KEY_HINT = 'the base64 of 32 random bytes (openssl rand -base64 32)';
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** CAIRN_ENCRYPTION_KEY: required; the error says what is wrong with it, never what it is. */
export function encryptionKeyVariable() {
  return z
    .string()
    .optional()
    .transform((raw, ctx): string => {
      const text = raw?.trim() ?? '';
      if (text === '') {
        ctx.addIssue({
          code: 'custom',
          message: `expected ${KEY_HINT}, it is not set: use the same key as the api`,
        });
        return z.NEVER;
      }
      const bytes = BASE64.test(text) ? Buffer.from(text, 'base64').length : undefined;
      if (bytes !== 32) {
        const got = bytes === undefined ? 'text that is not base64' : `${bytes} bytes`;
        ctx.addIssue({ code: 'custom', message: `expected ${KEY_HINT}, got ${got}` });
        return z.NEVER;
      }
      return text;
    });
}

/** CAIRN_NATS_PREFIX: the Topology root of every subject, stream and bucket; "cairn" by default. */
export function natsPrefixVariable() {
  return z
    .string()
    .optional()
    .transform((raw, ctx): string => {
      const text = raw?.trim() || 'cairn';
      try {
        return new Subjects(text).root;
      } catch {
        ctx.addIssue({
          code: 'custom',
          message: `expected dot-separated tokens of letters, digits, '_' or '-', got ${JSON.stringify(text)}`,
        });
        return z.NEVER;
      }
    });
}
