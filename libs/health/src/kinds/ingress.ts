import { HealthAssessment } from '../health-status';
import { KubeObject } from '../kube-object';

export type Ingress = KubeObject & { status?: { loadBalancer?: { ingress?: unknown[] } } };

/**
 * Progressing until the ingress controller publishes an address, as in Argo CD, so an Argo CD
 * user sees the same health. The cost is known: controllers that never publish one (ingress-nginx
 * without --publish-service, some Traefik setups) leave their Ingresses Progressing for good.
 */
export function ingressHealth({ status }: Ingress): HealthAssessment {
  if (!status?.loadBalancer?.ingress?.length) {
    return {
      status: 'Progressing',
      message: 'Waiting for the ingress controller to publish an address',
    };
  }
  return { status: 'Healthy' };
}
