import { Topology } from '@cairn/contracts';
import { SecretBox } from '@cairn/secrets';
import { z } from 'zod';

/**
 * The variables every Cairn service that talks over NATS and opens sealed credentials
 * reads, parsed here rather than with `env.*` because the key must never be echoed.
 */

const KEY_HINT = 'the base64 of 32 random bytes (openssl rand -base64 32)';
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** CAIRN_ENCRYPTION_KEY, required: the SecretBox that opens cluster credentials. */
export function encryptionKeyVariable() {
  return z
    .string()
    .optional()
    .transform((raw, ctx): SecretBox => {
      const text = raw?.trim() ?? '';
      const bytes = BASE64.test(text) ? Buffer.from(text, 'base64').length : undefined;
      if (bytes === 32) return SecretBox.fromBase64Key(text);
      const got =
        text === ''
          ? 'it is not set: use the same key as the api'
          : `got ${bytes === undefined ? 'text that is not base64' : `${bytes} bytes`}`;
      ctx.addIssue({ code: 'custom', message: `expected ${KEY_HINT}, ${got}` });
      return z.NEVER;
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
        return new Topology(text).root;
      } catch {
        ctx.addIssue({
          code: 'custom',
          message: `expected dot-separated tokens of letters, digits, '_' or '-', got ${JSON.stringify(text)}`,
        });
        return z.NEVER;
      }
    });
}
