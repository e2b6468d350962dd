import type { ClusterClient } from '@cairn/kube';
import { configMap } from './manifests';

const LABEL = 'cairn-test/undeletable';

/**
 * A ValidatingAdmissionPolicy that refuses to delete the ConfigMaps labelled with its name:
 * how a test makes a prune fail for real (as a webhook or a policy would), then lets it pass.
 */
export class DeleteGuard {
  private constructor(
    private readonly kube: ClusterClient,
    readonly name: string,
  ) {}

  /** The label that puts a ConfigMap under this guard. */
  get label(): Record<string, string> {
    return { [LABEL]: this.name };
  }

  static async install(kube: ClusterClient, name: string): Promise<DeleteGuard> {
    const guard = new DeleteGuard(kube, name);
    await kube.apply(guard.policy());
    await kube.apply(guard.binding());
    return guard;
  }

  /** Resolves once a probe ConfigMap under the guard cannot be deleted: a policy takes a moment. */
  async untilEnforced(namespace: string, timeoutMs = 15_000): Promise<void> {
    const probe = configMap(`probe-${this.name}`, { a: '1' }, namespace);
    probe.metadata.labels = this.label;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      await this.kube.apply(probe);
      try {
        await this.kube.delete(probe);
      } catch (error) {
        if ((error as Error).message.includes(this.refusal())) return;
        throw error;
      }
      if (Date.now() > deadline)
        throw new Error(`policy ${this.name} not enforced in ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  async remove(): Promise<void> {
    await this.kube.delete(this.binding());
    await this.kube.delete(this.policy());
  }

  private refusal(): string {
    return `refused by the test policy ${this.name}`;
  }

  private policy() {
    return {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingAdmissionPolicy',
      metadata: { name: this.name },
      spec: {
        failurePolicy: 'Fail',
        matchConstraints: {
          resourceRules: [
            {
              apiGroups: [''],
              apiVersions: ['v1'],
              operations: ['DELETE'],
              resources: ['configmaps'],
            },
          ],
        },
        validations: [
          {
            expression: `!has(oldObject.metadata.labels) || !('${LABEL}' in oldObject.metadata.labels) || oldObject.metadata.labels['${LABEL}'] != '${this.name}'`,
            message: this.refusal(),
          },
        ],
      },
    };
  }

  private binding() {
    return {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingAdmissionPolicyBinding',
      metadata: { name: this.name },
      spec: { policyName: this.name, validationActions: ['Deny'] },
    };
  }
}
