import type { SecretBox } from '@cairn/secrets';

/**
 * Credentials are sealed once, by the api, and the sealed text (`v1:...`) is what both
 * PostgreSQL (as bytes) and the registry buckets hold: mirroring never needs to open them.
 */

export function sealForColumn(box: SecretBox, plaintext: string | undefined): Buffer | null {
  const sealed = box.sealOptional(plaintext);
  return sealed === undefined ? null : Buffer.from(sealed, 'utf8');
}

export function sealedFromColumn(column: Buffer | null): string | undefined {
  return column ? column.toString('utf8') : undefined;
}
