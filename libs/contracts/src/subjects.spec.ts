import { describe, expect, it } from 'vitest';
import { Subjects, subjects } from './subjects';

describe('subjects', () => {
  it('builds one subject per topic under the cairn root', () => {
    expect(subjects.desired('prod', 'web')).toBe('cairn.desired.prod.web');
    expect(subjects.command('prod', 'web')).toBe('cairn.cmd.prod.web');
    expect(subjects.status('prod', 'web')).toBe('cairn.status.prod.web');
    expect(subjects.events('prod', 'web')).toBe('cairn.events.prod.web');
  });

  it('puts a test run under its own root', () => {
    const run = new Subjects('cairn_1a2b3c');
    expect(run.desired('prod', 'web')).toBe('cairn_1a2b3c.desired.prod.web');
    expect(run.filter('status')).toBe('cairn_1a2b3c.status.>');
    expect(run.filter('desired', 'prod')).toBe('cairn_1a2b3c.desired.prod.*');
  });

  it('rejects a root with wildcards or empty tokens', () => {
    expect(() => new Subjects('cairn.>')).toThrow(/subject root "cairn.>"/);
    expect(() => new Subjects('cairn..x')).toThrow(/subject root/);
  });

  it('refuses names that would change the shape of the subject, naming which', () => {
    expect(() => subjects.desired('prod.eu', 'web')).toThrow(/^cluster name "prod.eu"/);
    expect(() => subjects.events('prod', 'web*')).toThrow(/^application name "web\*"/);
    expect(() => subjects.filter('cmd', 'a>')).toThrow(/^cluster name "a>"/);
  });

  it('parses a subject back into topic, cluster and app', () => {
    const run = new Subjects('test.cairn');
    expect(run.parse(run.command('prod', 'web'))).toEqual({
      topic: 'cmd',
      cluster: 'prod',
      app: 'web',
    });
    expect(run.parse('cairn.cmd.prod.web')).toBeUndefined();
    expect(run.parse('test.cairn.unknown.prod.web')).toBeUndefined();
    expect(run.parse('test.cairn.cmd.prod')).toBeUndefined();
    expect(run.parse('test.cairn.cmd.Prod.web')).toBeUndefined();
  });

  it('addresses registration changes on the events stream, "_" for no cluster or app', () => {
    expect(subjects.registrationEvents('prod', 'web')).toBe('cairn.events.prod.web');
    expect(subjects.registrationEvents('prod')).toBe('cairn.events.prod._');
    expect(subjects.registrationEvents()).toBe('cairn.events._._');
    expect(subjects.parse(subjects.registrationEvents('prod'))).toBeUndefined();
    expect(() => subjects.registrationEvents(undefined, 'web')).toThrow(/"web" has no cluster/);
    expect(() => subjects.registrationEvents('prod.eu')).toThrow(/^cluster name "prod.eu"/);
  });
});
