import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GitError } from '../git-error';
import { resolveRemoteRef } from '../remote-refs';
import { pktLines } from './pkt-line';
import { parseRefAdvertisement } from './ref-advertisement';

/**
 * Fixtures are answers of `git http-backend` (git 2.39) to GET info/refs?service=git-upload-pack,
 * captured with curl, except empty-repository-capabilities-line.pkt: the form JGit and
 * older git servers give an empty repository (gitprotocol-pack), written by hand.
 */
const fixture = (name: string) => readFileSync(join(__dirname, 'testdata', name));
const bytes = (text: string) => new Uint8Array(Buffer.from(text, 'latin1'));
const pkt = (text: string) => `${(text.length + 4).toString(16).padStart(4, '0')}${text}`;
const WHERE = 'http://git.test/apps.git';

const TRUNK = '0e8dc58a28a7a55363816838e836ce830804cb52';
const FEATURE = 'e93bf515edf2c636f4209bb925027dab6f8c5321';

describe('parseRefAdvertisement', () => {
  const refs = parseRefAdvertisement(fixture('branches-and-tags.pkt'), WHERE);

  it('lists every ref in order, HEAD with the branch it points to', () => {
    expect(refs.map((ref) => ref.name)).toEqual([
      'HEAD',
      'refs/heads/feature/x',
      'refs/heads/trunk',
      'refs/tags/light',
      'refs/tags/v1.0.0',
      'refs/tags/v2.0.0',
      'refs/tags/v2.0.0-signed-tag-of-tag',
    ]);
    expect(refs[0]).toEqual({
      name: 'HEAD',
      sha: TRUNK,
      commit: TRUNK,
      target: 'refs/heads/trunk',
    });
    expect(refs[1]).toEqual({ name: 'refs/heads/feature/x', sha: FEATURE, commit: FEATURE });
  });

  it('peels annotated tags (and a tag of a tag) to their commit from the ^{} lines', () => {
    const byName = new Map(refs.map((ref) => [ref.name, ref]));
    expect(byName.get('refs/tags/v1.0.0')).toEqual({
      name: 'refs/tags/v1.0.0',
      sha: '785987ccdc4567aa07a17b6ba284785d97aa1a08',
      commit: TRUNK,
    });
    expect(byName.get('refs/tags/v2.0.0')?.commit).toBe(FEATURE);
    expect(byName.get('refs/tags/v2.0.0-signed-tag-of-tag')).toMatchObject({
      sha: '52a34845067aebfcd31a4f57ef20dd8dfebba113',
      commit: FEATURE,
    });
    // A lightweight tag names its commit directly and has no ^{} line.
    expect(byName.get('refs/tags/light')).toEqual({
      name: 'refs/tags/light',
      sha: TRUNK,
      commit: TRUNK,
    });
  });

  it('feeds resolveRemoteRef: HEAD, branches with slashes, tags to commits', () => {
    expect(resolveRemoteRef(refs, 'HEAD')).toBe(TRUNK);
    expect(resolveRemoteRef(refs, 'feature/x')).toBe(FEATURE);
    expect(resolveRemoteRef(refs, 'v2.0.0')).toBe(FEATURE);
    expect(resolveRemoteRef(refs, 'tags/v1.0.0')).toBe(TRUNK);
    expect(resolveRemoteRef(refs, 'v3')).toBeUndefined();
  });

  it.each(['empty-repository.pkt', 'empty-repository-capabilities-line.pkt'])(
    'gives no refs for an empty repository (%s)',
    (name) => {
      expect(parseRefAdvertisement(fixture(name), WHERE)).toEqual([]);
    },
  );

  it('reads an advertisement without the service header or the trailing LFs', () => {
    const body = bytes(
      `${pkt(`${TRUNK} HEAD\0symref=HEAD:refs/heads/main`)}${pkt(`${TRUNK} refs/heads/main`)}0000`,
    );
    expect(parseRefAdvertisement(body, WHERE)).toEqual([
      { name: 'HEAD', sha: TRUNK, commit: TRUNK, target: 'refs/heads/main' },
      { name: 'refs/heads/main', sha: TRUNK, commit: TRUNK },
    ]);
  });

  it('passes on what the server says in an ERR line', () => {
    const body = bytes(`${pkt('# service=git-upload-pack\n')}0000${pkt('ERR access denied\n')}`);
    expect(() => parseRefAdvertisement(body, WHERE)).toThrow(
      new GitError('GitOperationFailed', `${WHERE} refused the ref check: access denied`),
    );
  });

  it.each([
    ['a truncated answer', fixture('branches-and-tags.pkt').subarray(0, 100), 'ends inside a line'],
    ['a length that is not hex', bytes('00zz'), 'not four hex digits'],
    ['a dumb server listing', bytes(`${TRUNK}\trefs/heads/main\n`), 'malformed'],
    ['a ref line without a name', bytes(`${pkt(`${TRUNK}\n`)}0000`), 'malformed ref line'],
  ])('refuses %s, naming the repository', (_what, body, why) => {
    expect(() => parseRefAdvertisement(body, WHERE)).toThrow(GitError);
    expect(() => parseRefAdvertisement(body, WHERE)).toThrow(why);
    expect(() => parseRefAdvertisement(body, WHERE)).toThrow(WHERE);
  });
});

describe('pktLines', () => {
  it('yields data lines without their LF, and flush, delimiter and response-end packets', () => {
    const body = bytes(`${pkt('one\n')}0000${pkt('two')}00010002`);
    const lines = [...pktLines(body, WHERE)].map((line) =>
      line.kind === 'data'
        ? Buffer.from(body.subarray(line.start, line.end)).toString()
        : line.kind,
    );
    expect(lines).toEqual(['one', 'flush', 'two', 'delim', 'response-end']);
  });

  it('refuses the reserved length 0003', () => {
    expect(() => [...pktLines(bytes('0003'), WHERE)]).toThrow('length 3 is reserved');
  });
});
