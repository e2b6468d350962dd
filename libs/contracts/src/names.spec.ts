import { describe, expect, it } from 'vitest';
import { AppName, assertDnsLabel, ClusterName, InvalidNameError, isDnsLabel } from './names';

describe('DNS-1123 label names', () => {
  it.each(['prod', 'eu-west-1', 'a', '0app', 'x'.repeat(63)])('accepts %j', (name) => {
    expect(isDnsLabel(name)).toBe(true);
    expect(ClusterName.parse(name)).toBe(name);
  });

  it.each([
    ['empty', ''],
    ['upper case', 'Prod'],
    ['a dot, which would split a subject token', 'prod.eu'],
    ['a NATS wildcard', 'prod*'],
    ['a NATS tail wildcard', '>'],
    ['whitespace', 'prod eu'],
    ['a leading hyphen', '-prod'],
    ['a trailing hyphen', 'prod-'],
    ['an underscore', 'prod_eu'],
    ['64 characters', 'x'.repeat(64)],
  ])('rejects a name with %s', (_, name) => {
    expect(isDnsLabel(name)).toBe(false);
    expect(ClusterName.safeParse(name).success).toBe(false);
  });

  it('says which name is wrong and what the rule is', () => {
    expect(() => assertDnsLabel('cluster name', 'Prod.EU')).toThrow(InvalidNameError);
    expect(() => assertDnsLabel('cluster name', 'Prod.EU')).toThrow(
      /^cluster name "Prod.EU" must be a DNS-1123 label/,
    );
    const issue = AppName.safeParse('My_App').error?.issues[0];
    expect(issue?.message).toMatch(/^application name "My_App" must be a DNS-1123 label/);
  });
});
