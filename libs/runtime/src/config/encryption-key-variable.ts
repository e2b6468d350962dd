import { z } from 'zod';

/**
 * CAIRN_ENCRYPTION_KEY: the base64 of the 32-byte key that seals every stored credential
 * (SecretBox of @cairn/secrets). Parsed here rather than with `env.*` because an error may
 * say what is wrong with the key, never what it is.
 */

const KEY_HINT = 'the base64 of 32 random bytes (openssl rand -base64 32)';
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** What a service that needs the key says when it is not set. */
export const MISSING_ENCRYPTION_KEY = `expected ${KEY_HINT}, it is not set: use the same key as the api`;

/**
 * The key as given (base64), checked. Required unless `optional`: an optional key that is
 * not set is undefined, and the service's settings decide whether it may be.
 */
export function encryptionKeyVariable<Optional extends boolean = false>(
  opts: { optional?: Optional } = {},
) {
  return z
    .string()
    .optional()
    .transform((raw, ctx): Optional extends true ? string | undefined : string => {
      type Result = Optional extends true ? string | undefined : string;
      const text = raw?.trim() ?? '';
      if (text === '' && opts.optional) return undefined as Result;
      const bytes = BASE64.test(text) ? Buffer.from(text, 'base64').length : undefined;
      if (bytes === 32) return text as Result;
      ctx.addIssue({
        code: 'custom',
        message:
          text === ''
            ? MISSING_ENCRYPTION_KEY
            : `expected ${KEY_HINT}, got ${bytes === undefined ? 'text that is not base64' : `${bytes} bytes`}`,
      });
      return z.NEVER;
    });
}
