import { describe, expect, it } from 'vitest';
import { isOlder } from './resource-version';

describe('isOlder', () => {
  it('compares the integers etcd hands out, beyond what a double holds exactly', () => {
    expect(isOlder('99', '100')).toBe(true);
    expect(isOlder('100', '99')).toBe(false);
    expect(isOlder('9007199254740993', '9007199254740994')).toBe(true);
  });

  it('says nothing about versions that are not integers, or missing', () => {
    expect(isOlder('a1', 'b2')).toBe(false);
    expect(isOlder(undefined, '5')).toBe(false);
  });
});
