import { describe, expect, it } from 'vitest';
import { ContractViolation } from './codec';
import {
  decodeStreamEvent,
  type RegistrationEvent,
  registrationEventSubject,
} from './registration-event';
import { subjects } from './subjects';

const time = '2025-01-31T12:00:00Z';
const changed: RegistrationEvent = {
  v: 1,
  type: 'RegistrationChanged',
  kind: 'cluster',
  change: 'created',
  name: 'prod',
  cluster: 'prod',
  message: 'cluster "prod" registered (agent mode)',
  time,
  initiatedBy: 'admin',
};

describe('events stream payloads', () => {
  it('reads a registration change and a reconciler event, each by its own contract', () => {
    expect(decodeStreamEvent(changed)).toEqual(changed);
    const bytes = new TextEncoder().encode(JSON.stringify(changed));
    expect(decodeStreamEvent(bytes)).toEqual(changed);
    const rolledBack = {
      v: 1,
      type: 'RolledBack',
      app: 'web',
      cluster: 'prod',
      message: 'rolled back to history entry 3',
      time,
      historyId: 3,
      initiatedBy: 'admin',
    };
    expect(decodeStreamEvent(rolledBack)).toEqual(rolledBack);
  });

  it('names what is wrong with a registration change, and what is not JSON', () => {
    expect(() => decodeStreamEvent({ ...changed, change: 'renamed' })).toThrow(
      /^invalid RegistrationEvent: change: /,
    );
    expect(() => decodeStreamEvent(new TextEncoder().encode('{oops'))).toThrow(ContractViolation);
  });

  it('addresses a change by what it concerns', () => {
    expect(registrationEventSubject(subjects, changed)).toBe('cairn.events.prod._');
    expect(
      registrationEventSubject(subjects, { ...changed, kind: 'application', app: 'web' }),
    ).toBe('cairn.events.prod.web');
    const repository = { ...changed, kind: 'repository' as const, cluster: undefined };
    expect(registrationEventSubject(subjects, repository)).toBe('cairn.events._._');
  });
});
