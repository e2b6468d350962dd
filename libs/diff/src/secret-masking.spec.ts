import { describe, expect, it } from 'vitest';
import { diffObjects } from './object-diff';
import {
  LAST_APPLIED_ANNOTATION,
  maskSecretDifferences,
  maskSecretObject,
  SECRET_MASK,
} from './secret-masking';
import { fixture } from './testdata/fixture';

const PLAIN = ['s3cr3t-changed', 'hunter2-initial'];
const ENCODED = PLAIN.map((v) => Buffer.from(v).toString('base64'));

describe('Secret masking', () => {
  const applied = fixture('secret-applied');
  const edited = fixture('secret-edited');

  it('masks the values of a Secret difference and keeps the key that differs', () => {
    const masked = maskSecretDifferences(edited, diffObjects(applied, edited), [applied, edited]);
    expect(masked).toEqual([{ path: 'data.password', live: SECRET_MASK, desired: SECRET_MASK }]);
  });

  it('masks a whole Secret shown as missing or extra, last-applied annotation included', () => {
    expect(JSON.stringify(edited)).toContain('s3cr3t-changed'); // kubectl's annotation holds it
    const shown = JSON.stringify([
      maskSecretDifferences(edited, diffObjects(undefined, edited), [edited]),
      maskSecretDifferences(applied, diffObjects(applied, undefined), [applied]),
      maskSecretObject(edited),
    ]);
    for (const value of [...PLAIN, ...ENCODED]) expect(shown).not.toContain(value);
    expect(shown).toContain(LAST_APPLIED_ANNOTATION);
    expect(shown).toContain('"password":"***"');
  });

  it('masks a Secret value embedded in another field that differs', () => {
    const masked = maskSecretDifferences(
      edited,
      [{ path: 'metadata.annotations.note', live: `rotated to ${PLAIN[0]}` }],
      [edited],
    );
    expect(masked).toEqual([
      { path: 'metadata.annotations.note', live: `rotated to ${SECRET_MASK}` },
    ]);
  });

  it('leaves other kinds alone', () => {
    const differences = [{ path: 'data.color', live: 'red', desired: 'blue' }];
    expect(maskSecretDifferences(fixture('configmap-edited'), differences)).toEqual(differences);
    expect(maskSecretObject(fixture('configmap-edited'))).toEqual(fixture('configmap-edited'));
  });
});
