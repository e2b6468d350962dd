import { z } from 'zod';

/**
 * Cluster and application names end up inside NATS subjects (`cairn.desired.<cluster>.<app>`),
 * so both must be DNS-1123 labels. Labels, not subdomains: a `.` would split the subject
 * into more tokens. Labels also rule out `*`, `>` (wildcards) and whitespace, and are valid
 * Kubernetes names.
 */

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_LABEL_MAX = 63;
const DNS_LABEL_RULE =
  "must be a DNS-1123 label: at most 63 lowercase letters, digits or '-', starting and ending with a letter or digit";

export function isDnsLabel(name: string): boolean {
  return name.length <= DNS_LABEL_MAX && DNS_LABEL.test(name);
}

export class InvalidNameError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidNameError';
  }
}

/** Throws an InvalidNameError that says which name is wrong and what the rule is. */
export function assertDnsLabel(kind: string, name: string): void {
  if (!isDnsLabel(name))
    throw new InvalidNameError(`${kind} ${JSON.stringify(name)} ${DNS_LABEL_RULE}`);
}

const dnsLabel = (kind: string) =>
  z.string().refine(isDnsLabel, {
    error: (issue) => `${kind} ${JSON.stringify(issue.input)} ${DNS_LABEL_RULE}`,
  });

export const ClusterName = dnsLabel('cluster name');
export const AppName = dnsLabel('application name');
