import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AdminToken } from './admin-token';

describe('AdminToken', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cairn-token-'));
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('uses the given token and writes no file', async () => {
    const file = join(dir, 'admin-token');
    const { token, written } = await AdminToken.resolve('a-given-token-of-some-length', file);
    expect(written).toBe(false);
    expect(token.matches('a-given-token-of-some-length')).toBe(true);
    expect(token.matches('a-given-token-of-some-lengtH')).toBe(false);
    expect(token.matches('')).toBe(false);
    await expect(stat(file)).rejects.toThrow(/ENOENT/);
  });

  it('generates 32 random bytes into a 0600 file on first start, and reads them after', async () => {
    const file = join(dir, 'nested', 'admin-token');
    const first = await AdminToken.resolve(undefined, file);
    const text = (await readFile(file, 'utf8')).trim();

    expect(first.written).toBe(true);
    expect(Buffer.from(text, 'base64url')).toHaveLength(32);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(first.token.matches(text)).toBe(true);

    const second = await AdminToken.resolve(undefined, file);
    expect(second.written).toBe(false);
    expect(second.token.matches(text)).toBe(true);
  });

  it('takes an existing file as it is, whitespace aside', async () => {
    const file = join(dir, 'admin-token');
    await writeFile(file, '  provisioned-by-an-operator\n');
    const { token } = await AdminToken.resolve(undefined, file);
    expect(token.matches('provisioned-by-an-operator')).toBe(true);
  });
});
