import { randomBytes } from 'node:crypto';

/** A name that no other test, in this run or any other, has used: `<prefix>-<random>`. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}
