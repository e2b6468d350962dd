import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { AppEvent } from './app-event';
import { AppStatus } from './app-status';
import { ContractViolation, decode, encode } from './codec';
import { Command } from './command';
import { DesiredState } from './desired-state';

const sha = 'a'.repeat(40);
const digest = `sha256:${'b'.repeat(64)}`;
const time = '2025-01-31T12:00:00Z';

const desired: DesiredState = {
  v: 1,
  app: 'web',
  revision: sha,
  bundleDigest: digest,
  reason: 'new commit on main',
};

const status: AppStatus = {
  v: 1,
  app: 'web',
  cluster: 'prod',
  sync: { status: 'Synced', revision: sha },
  health: { status: 'Progressing', message: 'Deployment web: 1 of 2 replicas ready' },
  operationState: {
    phase: 'Succeeded',
    message: 'applied 2 objects',
    startedAt: time,
    finishedAt: time,
  },
  resources: [
    { group: '', version: 'v1', kind: 'Namespace', name: 'web', status: 'Synced' },
    {
      group: 'apps',
      version: 'v1',
      kind: 'Deployment',
      namespace: 'web',
      name: 'web',
      status: 'Synced',
      health: { status: 'Progressing' },
    },
  ],
  conditions: [],
  reconciledAt: time,
};

const event: AppEvent = {
  v: 1,
  type: 'DriftDetected',
  app: 'web',
  cluster: 'prod',
  message: 'Deployment web/web: spec.replicas is 3, git says 2',
  time,
  revision: sha,
  resources: [{ group: 'apps', version: 'v1', kind: 'Deployment', namespace: 'web', name: 'web' }],
};

const commands: Command[] = [
  { v: 1, op: 'sync', id: 'c1', app: 'web', initiatedBy: 'alice', requestedAt: time, prune: true },
  {
    v: 1,
    op: 'rollback',
    id: 'c2',
    app: 'web',
    initiatedBy: 'alice',
    requestedAt: time,
    historyId: 3,
    revision: sha,
    bundleDigest: digest,
  },
  { v: 1, op: 'refresh', id: 'c3', app: 'web', initiatedBy: 'automated', requestedAt: time },
  {
    v: 1,
    op: 'delete',
    id: 'c4',
    app: 'web',
    initiatedBy: 'bob',
    requestedAt: time,
    cascade: true,
  },
];

function violation(run: () => unknown): ContractViolation {
  try {
    run();
  } catch (error) {
    if (error instanceof ContractViolation) return error;
    throw error;
  }
  throw new Error('expected a ContractViolation, but the message was accepted');
}

describe('codec', () => {
  const roundTrips: [string, z.ZodType, unknown][] = [
    ['DesiredState', DesiredState, desired],
    ['AppStatus', AppStatus, status],
    ['AppEvent', AppEvent, event],
    ...commands.map((command): [string, z.ZodType, unknown] => [
      `Command ${command.op}`,
      Command,
      command,
    ]),
  ];

  it.each(roundTrips)('round-trips a %s through bytes', (_, schema, message) => {
    const bytes = encode(schema, message);
    expect(bytes).toBeInstanceOf(Uint8Array);
    expect(decode(schema, bytes)).toEqual(message);
    expect(decode(schema, Buffer.from(bytes))).toEqual(message);
  });

  it('decodes already-parsed JSON as well as bytes', () => {
    expect(decode(DesiredState, JSON.parse(JSON.stringify(desired)))).toEqual(desired);
  });

  it('drops fields it does not know, so producers can add optional ones', () => {
    expect(decode(DesiredState, { ...desired, addedLater: true })).toEqual(desired);
  });

  it('names the contract, the field and the reason', () => {
    const error = violation(() => decode(DesiredState, { ...desired, revision: 'main' }));
    expect(error.message).toBe(
      'invalid DesiredState: revision: must be a full git commit SHA (40 or 64 lowercase hex characters)',
    );
    expect(error.problems).toEqual([
      { path: 'revision', reason: expect.stringContaining('commit SHA') },
    ]);
  });

  it('names nested fields by their path', () => {
    const bad = structuredClone(status) as unknown as {
      resources: { health: { status: string } }[];
    };
    bad.resources[1].health.status = 'Fine';
    const error = violation(() => decode(AppStatus, bad));
    expect(error.problems.map((p) => p.path)).toEqual(['resources[1].health.status']);
    expect(error.message).toMatch(/resources\[1\]\.health\.status: .*"Healthy"/);
  });

  it('reports every wrong field at once, including missing ones', () => {
    const error = violation(() =>
      decode(DesiredState, { ...desired, revision: undefined, app: 'Web.App' }),
    );
    expect(error.problems.map((p) => p.path).sort()).toEqual(['app', 'revision']);
    expect(error.message).toContain('app: application name "Web.App" must be a DNS-1123 label');
  });

  it('takes a render error instead of a bundle, but never both or neither', () => {
    const failed = {
      ...desired,
      bundleDigest: undefined,
      renderError: 'app/x.yaml:3: invalid YAML',
    };
    expect(decode(DesiredState, failed).renderError).toBe('app/x.yaml:3: invalid YAML');
    expect(() => decode(DesiredState, { ...desired, renderError: 'x' })).toThrow(
      'exactly one of bundleDigest and renderError must be given',
    );
    expect(() => decode(DesiredState, { ...desired, bundleDigest: undefined })).toThrow(
      'exactly one of bundleDigest and renderError must be given',
    );
  });

  it('rejects a schema version it does not speak', () => {
    const error = violation(() => decode(AppEvent, { ...event, v: 2 }));
    expect(error.message).toBe('invalid AppEvent: v: unsupported schema version 2; expected 1');
  });

  it('rejects an unknown command op and a command missing its op-specific fields', () => {
    expect(violation(() => decode(Command, { ...commands[0], op: 'restart' })).problems).toEqual([
      { path: 'op', reason: expect.stringContaining("'sync'") },
    ]);
    const rollback = { ...commands[1], bundleDigest: undefined };
    expect(violation(() => decode(Command, rollback)).message).toMatch(
      /^invalid Command: bundleDigest: /,
    );
  });

  it('rejects timestamps without a zone and bytes that are not JSON', () => {
    const noZone = violation(() => decode(AppEvent, { ...event, time: '2025-01-31 12:00' }));
    expect(noZone.problems).toEqual([
      { path: 'time', reason: expect.stringContaining('ISO-8601') },
    ]);
    const garbage = violation(() => decode(AppStatus, new TextEncoder().encode('{"v":1,')));
    expect(garbage.message).toMatch(/^invalid AppStatus: not JSON: /);
  });

  it('refuses to encode an invalid message', () => {
    expect(() => encode(DesiredState, { ...desired, bundleDigest: 'md5:abc' })).toThrow(
      /^invalid DesiredState: bundleDigest: must be "sha256:"/,
    );
  });
});
