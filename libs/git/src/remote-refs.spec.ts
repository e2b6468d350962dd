import { describe, expect, it } from 'vitest';
import { type RemoteRef, resolveRemoteRef } from './remote-refs';

const MAIN = 'a'.repeat(40);
const DEV = 'b'.repeat(40);
const TAG_OBJECT = 'c'.repeat(40);
const TAGGED = 'd'.repeat(40);
const BRANCH_NAMED_LIKE_TAG = 'e'.repeat(40);

const refs: RemoteRef[] = [
  { name: 'HEAD', sha: MAIN, commit: MAIN, target: 'refs/heads/main' },
  { name: 'refs/heads/main', sha: MAIN, commit: MAIN },
  { name: 'refs/heads/dev', sha: DEV, commit: DEV },
  { name: 'refs/heads/v1', sha: BRANCH_NAMED_LIKE_TAG, commit: BRANCH_NAMED_LIKE_TAG },
  { name: 'refs/tags/v1', sha: TAG_OBJECT, commit: TAGGED },
];

describe('resolveRemoteRef', () => {
  it('resolves a short branch name, a full ref name and HEAD', () => {
    expect(resolveRemoteRef(refs, 'dev')).toBe(DEV);
    expect(resolveRemoteRef(refs, 'refs/heads/dev')).toBe(DEV);
    expect(resolveRemoteRef(refs, 'heads/dev')).toBe(DEV);
    expect(resolveRemoteRef(refs, 'HEAD')).toBe(MAIN);
  });

  it('gives the commit behind an annotated tag, not the tag object', () => {
    expect(resolveRemoteRef(refs, 'refs/tags/v1')).toBe(TAGGED);
  });

  it('prefers a tag over a branch of the same name, as git does', () => {
    expect(resolveRemoteRef(refs, 'v1')).toBe(TAGGED);
    expect(resolveRemoteRef(refs, 'refs/heads/v1')).toBe(BRANCH_NAMED_LIKE_TAG);
  });

  it('takes a full commit SHA as it is', () => {
    expect(resolveRemoteRef(refs, 'F'.repeat(40))).toBe('f'.repeat(40));
  });

  it('is undefined for a revision the server does not advertise', () => {
    expect(resolveRemoteRef(refs, 'feature')).toBeUndefined();
    expect(resolveRemoteRef(refs, 'abc1234')).toBeUndefined();
  });
});
