import { describe, expect, it } from 'vitest';
import { loadKubeConfig } from './kubeconfig';

const kubeconfig = (user: string) => `
apiVersion: v1
kind: Config
clusters: [{name: c, cluster: {server: "https://127.0.0.1:6443"}}]
contexts: [{name: c, context: {cluster: c, user: u}}]
current-context: c
users: [{name: u, user: ${user}}]
`;

describe('loadKubeConfig', () => {
  it('accepts a token user', () => {
    const kc = loadKubeConfig({ text: kubeconfig('{token: abc}') });
    expect(kc.getCurrentCluster()?.server).toBe('https://127.0.0.1:6443');
  });

  it('refuses an exec plugin, naming the user', () => {
    expect(() =>
      loadKubeConfig({
        text: kubeconfig(
          '{exec: {apiVersion: client.authentication.k8s.io/v1, command: /bin/sh, args: ["-c", "id"]}}',
        ),
      }),
    ).toThrow('kubeconfig user "u": exec plugins are not allowed');
  });

  it('refuses an auth provider', () => {
    expect(() => loadKubeConfig({ text: kubeconfig('{auth-provider: {name: gcp}}') })).toThrow(
      'auth providers are not allowed',
    );
  });
});
