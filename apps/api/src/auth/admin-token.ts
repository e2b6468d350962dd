import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * The bearer token that every API call but the probes needs. Given (CAIRN_ADMIN_TOKEN), or
 * generated on the first start into a file only its owner can read, and reused after.
 */
export class AdminToken {
  private readonly digest: Buffer;

  private constructor(token: string) {
    this.digest = sha256(token);
  }

  /** Returns the token and whether it was just written to `file` (to say so, once). */
  static async resolve(
    given: string | undefined,
    file: string,
  ): Promise<{ token: AdminToken; written: boolean }> {
    if (given) return { token: new AdminToken(given), written: false };
    const existing = await readToken(file);
    if (existing) return { token: new AdminToken(existing), written: false };
    const generated = randomBytes(32).toString('base64url');
    await mkdir(dirname(file), { recursive: true, mode: 0o700 });
    try {
      // 'wx': a replica that got there first wins, and we read what it wrote.
      await writeFile(file, `${generated}\n`, { mode: 0o600, flag: 'wx' });
    } catch (error) {
      const raced = (error as NodeJS.ErrnoException).code === 'EEXIST' && (await readToken(file));
      if (!raced) throw new Error(`cannot write the admin token to ${file}: ${describe(error)}`);
      return { token: new AdminToken(raced), written: false };
    }
    return { token: new AdminToken(generated), written: true };
  }

  /** Constant time: comparing digests of equal length leaks neither content nor length. */
  matches(candidate: string): boolean {
    return timingSafeEqual(sha256(candidate), this.digest);
  }
}

async function readToken(file: string): Promise<string | undefined> {
  try {
    return (await readFile(file, 'utf8')).trim() || undefined;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new Error(`cannot read the admin token from ${file}: ${describe(error)}`);
  }
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
