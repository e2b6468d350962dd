import { HealthAssessment } from '../health-status';
import { KubeObject } from '../kube-object';

export type Service = KubeObject & {
  spec?: { type?: string };
  status?: { loadBalancer?: { ingress?: unknown[] } };
};

/** Only a LoadBalancer Service waits on something outside the cluster: its cloud address. */
export function serviceHealth({ spec, status }: Service): HealthAssessment {
  if (spec?.type === 'LoadBalancer' && !status?.loadBalancer?.ingress?.length) {
    return { status: 'Progressing', message: 'Waiting for the load balancer to get an address' };
  }
  return { status: 'Healthy' };
}
