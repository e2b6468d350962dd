import { describe, expect, it } from 'vitest';
import { kubeConfigFromCredentials } from './kube-config-from-credentials';

const kubeconfig = (cluster: string, user: string) => `
apiVersion: v1
kind: Config
clusters: [{name: c, cluster: ${cluster}}]
contexts: [{name: c, context: {cluster: c, user: u}}]
current-context: c
users: [{name: u, user: ${user}}]
`;
const SERVER = '{server: "https://10.0.0.1:6443"}';

describe('kubeConfigFromCredentials', () => {
  it('builds a bearer-token config from Argo CD cluster fields', () => {
    const kc = kubeConfigFromCredentials('prod', {
      server: 'https://10.0.0.1:6443',
      bearerToken: 's3cr3t-token',
      tlsClientConfig: { caData: 'Q0E=', serverName: 'kubernetes', insecure: false },
    });
    expect(kc.getCurrentCluster()).toMatchObject({
      server: 'https://10.0.0.1:6443',
      caData: 'Q0E=',
      tlsServerName: 'kubernetes',
      skipTLSVerify: false,
    });
    expect(kc.getCurrentUser()?.token).toBe('s3cr3t-token');
  });

  it('takes basic auth and client certificates', () => {
    const kc = kubeConfigFromCredentials('prod', {
      server: 'https://10.0.0.1:6443',
      username: 'admin',
      password: 'pw',
      tlsClientConfig: { certData: 'Y2VydA==', keyData: 'a2V5', insecure: true },
    });
    expect(kc.getCurrentUser()).toMatchObject({
      username: 'admin',
      password: 'pw',
      certData: 'Y2VydA==',
      keyData: 'a2V5',
    });
    expect(kc.getCurrentCluster()?.skipTLSVerify).toBe(true);
  });

  it('refuses a client certificate without its key, naming the cluster', () => {
    expect(() =>
      kubeConfigFromCredentials('prod', {
        server: 'https://10.0.0.1:6443',
        tlsClientConfig: { certData: 'Y2VydA==' },
      }),
    ).toThrow('cluster "prod": tlsClientConfig needs both certData and keyData');
  });

  it('loads kubeconfig text with a token user', () => {
    const kc = kubeConfigFromCredentials('prod', { kubeconfig: kubeconfig(SERVER, '{token: t}') });
    expect(kc.getCurrentCluster()?.server).toBe('https://10.0.0.1:6443');
  });

  it('refuses an exec plugin, naming the cluster', () => {
    expect(() =>
      kubeConfigFromCredentials('prod', {
        kubeconfig: kubeconfig(SERVER, '{exec: {apiVersion: v1, command: /bin/sh}}'),
      }),
    ).toThrow('cluster "prod": kubeconfig user "u": exec plugins are not allowed');
  });

  it.each([
    [
      'user',
      SERVER,
      '{token-file: /var/run/secrets/kubernetes.io/serviceaccount/token}',
      'token-file',
    ],
    ['user', SERVER, '{client-key: /etc/key.pem, client-certificate-data: Y2VydA==}', 'client-key'],
    [
      'cluster',
      '{server: "https://10.0.0.1:6443", certificate-authority: /etc/ca.pem}',
      '{token: t}',
      'certificate-authority',
    ],
  ])('refuses a %s that reads a local file (%s)', (section, cluster, user, key) => {
    expect(() =>
      kubeConfigFromCredentials('prod', { kubeconfig: kubeconfig(cluster, user) }),
    ).toThrow(
      `cluster "prod": kubeconfig ${section} "${section === 'user' ? 'u' : 'c'}" reads the local file named by "${key}"`,
    );
  });

  it('reports malformed YAML without quoting it', () => {
    const text = 'users:\n  - name: u\n    user: {token: leaked-token\n';
    let message = '';
    try {
      kubeConfigFromCredentials('prod', { kubeconfig: text });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/^cluster "prod": kubeconfig is not valid YAML: /);
    expect(message).not.toContain('leaked-token');
  });
});
