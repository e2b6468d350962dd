import type { ApplicationRegistration } from '@cairn/contracts';
import { describe, expect, it } from 'vitest';
import { messageId } from './desired-state-publisher';

const SHA = 'a'.repeat(40);
const DIGEST = `sha256:${'b'.repeat(64)}`;
const app: ApplicationRegistration = {
  v: 1,
  name: 'web',
  cluster: 'prod',
  spec: {
    source: { repoURL: 'https://h/org/apps', path: 'web', targetRevision: 'main' },
    destination: { name: 'prod' },
    syncPolicy: { syncOptions: [] },
  },
  updatedAt: '2025-01-01T00:00:00Z',
};

describe('messageId', () => {
  it('starts with app, commit and digest, and is the same when the same render is published again', () => {
    const id = messageId(app, SHA, { bundleDigest: DIGEST });
    expect(id.startsWith(`web:${SHA}:${DIGEST}:`)).toBe(true);
    expect(messageId({ ...app }, SHA, { bundleDigest: DIGEST })).toBe(id);
  });

  it('differs for a moved or re-created app, so JetStream does not drop its first message', () => {
    const id = messageId(app, SHA, { bundleDigest: DIGEST });
    expect(messageId({ ...app, cluster: 'staging' }, SHA, { bundleDigest: DIGEST })).not.toBe(id);
    expect(
      messageId({ ...app, updatedAt: '2025-01-02T00:00:00Z' }, SHA, { bundleDigest: DIGEST }),
    ).not.toBe(id);
  });

  it('names a render error by a hash of its text, never the text', () => {
    const id = messageId(app, SHA, { renderError: 'web/a.yaml:3: invalid YAML' });
    expect(id).toMatch(new RegExp(`^web:${SHA}:render-error-[0-9a-f]{16}:`));
    expect(messageId(app, SHA, { renderError: 'web/a.yaml:4: invalid YAML' })).not.toBe(id);
  });
});
