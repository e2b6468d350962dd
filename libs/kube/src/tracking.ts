/**
 * How Cairn marks what it owns. The annotation is the proof of ownership: prune deletes
 * only objects whose annotation names the app (an object someone else created with the
 * same name is never touched). The label lets one watch per kind select everything Cairn
 * manages, and `kubectl get -l cairn.dev/app=web` find an app's objects.
 */
export const TRACKING_ANNOTATION = 'cairn.dev/tracking-id';
export const APP_LABEL = 'cairn.dev/app';

interface Identity {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string };
}

/** `<app>:<group>/<kind>:<namespace>/<name>`, like Argo CD's tracking id. */
export function trackingId(app: string, o: Identity): string {
  const group = o.apiVersion.includes('/') ? o.apiVersion.split('/')[0] : '';
  return `${app}:${group}/${o.kind}:${o.metadata.namespace ?? ''}/${o.metadata.name}`;
}

/** Whether the live object was applied by this app (and is this very object). */
export function isTrackedBy(
  app: string,
  live: Identity & { metadata: { annotations?: Record<string, string> } },
): boolean {
  return live.metadata.annotations?.[TRACKING_ANNOTATION] === trackingId(app, live);
}
