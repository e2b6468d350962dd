import { KubeConfig } from '@kubernetes/client-node';

/**
 * Loads a kubeconfig that came from a user (a file or registration text). Exec plugins
 * and auth providers would run programs or fetch tokens chosen by whoever wrote the
 * kubeconfig, on Cairn's machine and with its privileges, so they are refused outright.
 */
export function loadKubeConfig(source: { path: string } | { text: string }): KubeConfig {
  const kc = new KubeConfig();
  if ('path' in source) kc.loadFromFile(source.path);
  else kc.loadFromString(source.text);
  for (const user of kc.getUsers()) {
    if (user.exec)
      throw new Error(
        `kubeconfig user "${user.name}": exec plugins are not allowed; use a token or client certificate`,
      );
    if (user.authProvider)
      throw new Error(
        `kubeconfig user "${user.name}": auth providers are not allowed; use a token or client certificate`,
      );
  }
  if (!kc.getCurrentCluster()) throw new Error('kubeconfig: the current context names no cluster');
  return kc;
}
