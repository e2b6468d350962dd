import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * Seals credentials (git passwords, cluster tokens and keys, webhook secrets) with
 * AES-256-GCM before they are stored anywhere: PostgreSQL or the NATS registration
 * buckets. GCM authenticates as well as encrypts, so a tampered value fails to open
 * instead of yielding garbage. Sealed text: `v1:<base64 of iv | tag | ciphertext>`.
 */
export class SecretBox {
  private constructor(private readonly key: Buffer) {}

  /** A key is 32 random bytes, base64-encoded (`openssl rand -base64 32`). */
  static fromBase64Key(encoded: string): SecretBox {
    const key = Buffer.from(encoded, 'base64');
    if (key.length !== 32)
      throw new Error(`encryption key: expected 32 bytes in base64, got ${key.length} bytes`);
    return new SecretBox(key);
  }

  static generateKey(): string {
    return randomBytes(32).toString('base64');
  }

  seal(plaintext: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return `${VERSION}:${Buffer.concat([iv, cipher.getAuthTag(), ciphertext]).toString('base64')}`;
  }

  open(sealed: string): string {
    const [version, body] = sealed.split(':', 2);
    if (version !== VERSION || !body) throw new Error('sealed secret: unknown format');
    const raw = Buffer.from(body, 'base64');
    const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, IV_BYTES));
    decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    try {
      return Buffer.concat([
        decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)),
        decipher.final(),
      ]).toString('utf8');
    } catch {
      // Never echo the value: only say that it could not be opened.
      throw new Error(
        'sealed secret: cannot be opened with this key (wrong key or tampered value)',
      );
    }
  }

  sealOptional(plaintext: string | undefined): string | undefined {
    return plaintext === undefined || plaintext === '' ? undefined : this.seal(plaintext);
  }

  openOptional(sealed: string | undefined | null): string | undefined {
    return sealed ? this.open(sealed) : undefined;
  }
}
