import { describe, expect, it } from 'vitest';
import { MASK, SecretMask } from './secret-mask';

const secret = {
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name: 'db', namespace: 'shop' },
  data: { password: Buffer.from('hunter22').toString('base64') },
  stringData: { token: 'tok-12345', pin: '42' },
};

describe('SecretMask', () => {
  it('masks data values, decoded or not, and stringData values in a message', () => {
    const mask = SecretMask.of([secret]);
    const message = `Secret shop/db: Invalid value: "hunter22" (${secret.data.password}), token tok-12345`;
    expect(mask.apply(message)).toBe(
      `Secret shop/db: Invalid value: "${MASK}" (${MASK}), token ${MASK}`,
    );
  });

  it('leaves values of other kinds, and very short values, alone', () => {
    const configMap = { ...secret, kind: 'ConfigMap', data: { greeting: 'hello world' } };
    const mask = SecretMask.of([configMap, secret]);
    expect(mask.apply('hello world, pin 42')).toBe('hello world, pin 42');
  });
});
