import { describe, expect, it } from 'vitest';
import { SecretBox } from './secret-box';

describe('SecretBox', () => {
  const box = SecretBox.fromBase64Key(SecretBox.generateKey());

  it('seals so the plaintext does not appear, and opens back to it', () => {
    const sealed = box.seal('hunter2-password');
    expect(sealed).toMatch(/^v1:/);
    expect(sealed).not.toContain('hunter2');
    expect(box.open(sealed)).toBe('hunter2-password');
    expect(box.seal('same')).not.toBe(box.seal('same'));
  });

  it('refuses a value sealed with another key or tampered with, without echoing it', () => {
    const other = SecretBox.fromBase64Key(SecretBox.generateKey());
    expect(() => other.open(box.seal('x'))).toThrow('cannot be opened with this key');
    const sealed = box.seal('secret-value');
    const tampered = sealed.slice(0, -4) + (sealed.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    expect(() => box.open(tampered)).toThrow(/^sealed secret: cannot be opened/);
  });

  it('names a key of the wrong size', () => {
    expect(() => SecretBox.fromBase64Key(Buffer.alloc(16).toString('base64'))).toThrow(
      'expected 32 bytes in base64, got 16 bytes',
    );
  });
});
