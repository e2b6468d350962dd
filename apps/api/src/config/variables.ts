import { z } from 'zod';

/**
 * The api's own environment variables, beyond what @cairn/runtime's `env` parses. Like
 * those, an empty variable counts as unset; unlike them, the two secrets are never echoed
 * in an error, only described.
 */

const BASE64_OF_32_BYTES = /^[A-Za-z0-9+/]{43}=$/;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

const ADMIN_TOKEN_MIN_LENGTH = 16;

type Checked<T> = { value: T } | { problem: string };

function variable<T>(check: (text: string) => Checked<T>) {
  return z
    .string()
    .optional()
    .transform((raw, ctx): T => {
      const checked = check(raw?.trim() ?? '');
      if ('value' in checked) return checked.value;
      ctx.addIssue({ code: 'custom', message: checked.problem });
      return z.NEVER;
    });
}

/** Required: what seals every credential Cairn stores. */
export const encryptionKey = () =>
  variable<string>((text) => {
    if (BASE64_OF_32_BYTES.test(text)) return { value: text };
    const expected = 'expected 32 random bytes in base64 (openssl rand -base64 32)';
    if (text === '') return { problem: `${expected}, it is not set` };
    if (!BASE64.test(text)) return { problem: `${expected}, got text that is not base64` };
    return { problem: `${expected}, got ${Buffer.from(text, 'base64').length} bytes` };
  });

/** Optional: absent, the api generates one (see AdminToken). */
export const adminToken = () =>
  variable<string | undefined>((text) => {
    if (text === '') return { value: undefined };
    if (text.length >= ADMIN_TOKEN_MIN_LENGTH) return { value: text };
    return {
      problem: `expected at least ${ADMIN_TOKEN_MIN_LENGTH} characters, got ${text.length}`,
    };
  });
